import asyncio
import time

async def fetch_data(server_id: int) -> str:
    print(f"Fetching data from server {server_id}")
    await asyncio.sleep(server_id)  # Simulate network delay
    return f"Data from server {server_id}"

async def main():
    # Create tasks
    task1 = asyncio.create_task(fetch_data(1))
    task2 = asyncio.create_task(fetch_data(2))
    task3 = asyncio.create_task(fetch_data(3))

    # Wait for tasks to complete
    results = await asyncio.wait_for(asyncio.gather(task1, task2, task3), timeout=4)
    print("Results:", results)

start_time = time.time()
asyncio.run(main())
print(f"Total time: {time.time() - start_time:.2f} seconds")
