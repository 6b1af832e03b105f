import asyncio

async def access_resource(semaphore, name):
    async with semaphore:
        print(f"{name} acquired resource")
        await asyncio.sleep(0.5)
        print(f"{name} released resource")

async def main():
    semaphore = asyncio.BoundedSemaphore(2)  # Allow 2 concurrent accesses
    tasks = [access_resource(semaphore, f"Task {i}") for i in range(4)]
    await asyncio.gather(*tasks)
    # Attempting to release again would raise ValueError
    try:
        semaphore.release()
    except ValueError as e:
        print(f"Error: {e}")

asyncio.run(main())
