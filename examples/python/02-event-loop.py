import asyncio

async def task1():
    print("Task 1 started")
    await asyncio.sleep(2)
    print("Task 1 finished")

async def task2():
    print("Task 2 started")
    await asyncio.sleep(1)
    print("Task 2 finished")

loop = asyncio.get_event_loop()  # Get the default event loop
try:
    loop.run_until_complete(asyncio.gather(task1(), task2()))  # Run tasks
finally:
    loop.close()  # Clean up
