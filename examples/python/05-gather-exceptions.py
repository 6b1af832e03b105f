import asyncio

async def risky_operation(id: int):
    print(f"Starting operation {id}")
    await asyncio.sleep(1)
    if id == 2:
        raise ValueError(f"Error in operation {id}")
    return f"Result {id}"

async def main():
    # Create tasks
    tasks = [asyncio.create_task(risky_operation(i)) for i in range(3)]

    # Use gather to collect results, handling exceptions
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for result in results:
        print(f"Result: {result}")

asyncio.run(main())
