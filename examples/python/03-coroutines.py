import asyncio

async def fetch_data():
    print("Fetching data...")
    await asyncio.sleep(1)  # Simulate network delay
    return {"data": 42}

async def process_data():
    print("Processing data...")
    await asyncio.sleep(0.5)
    return "Processed"

async def main():
    result1 = await fetch_data()  # Wait for coroutine to complete
    result2 = await process_data()
    print(f"Results: {result1}, {result2}")

asyncio.run(main())
