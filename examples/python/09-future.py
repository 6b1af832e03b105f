import asyncio

async def set_future_result(future):
    await asyncio.sleep(1)
    future.set_result("Future resolved!")

async def main():
    loop = asyncio.get_running_loop()
    future = loop.create_future()  # Create a future
    asyncio.create_task(set_future_result(future))  # Schedule task to set result
    result = await future  # Wait for future to resolve
    print(result)

asyncio.run(main())
