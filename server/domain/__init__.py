"""Pure domain rules: no asyncio, aiohttp, pymongo, redis, jwt, os or clock calls."""
