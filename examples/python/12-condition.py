import asyncio

async def producer(condition, buffer):
    for i in range(3):
        async with condition:
            buffer.append(i)
            print(f"Produced {i}, buffer: {buffer}")
            condition.notify()  # Notify one consumer
        await asyncio.sleep(0.5)

async def consumer(condition, buffer, name):
    async with condition:
        while not buffer:  # Wait for items
            print(f"{name} waiting for items")
            await condition.wait()
        item = buffer.pop(0)
        print(f"{name} consumed {item}, buffer: {buffer}")

async def main():
    buffer = []
    condition = asyncio.Condition()
    tasks = [
        producer(condition, buffer),
        consumer(condition, buffer, "Consumer 1"),
        consumer(condition, buffer, "Consumer 2"),
    ]
    await asyncio.gather(*tasks)

asyncio.run(main())
