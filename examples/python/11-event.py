import asyncio

async def waiter(event, name):
    print(f"{name} waiting for event")
    await event.wait()  # Wait until event is set
    print(f"{name} proceeding after event")

async def trigger(event):
    print("Trigger task started")
    await asyncio.sleep(1)  # Simulate setup work
    print("Setting event")
    event.set()  # Signal waiting coroutines

async def main():
    event = asyncio.Event()
    tasks = [
        waiter(event, f"Waiter {i}") for i in range(3)
    ] + [trigger(event)]
    await asyncio.gather(*tasks)

asyncio.run(main())
