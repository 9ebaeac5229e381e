#!/usr/bin/python3
"""Forward 127.0.0.1:PORT inside a node's network namespace to 127.0.0.1:PORT of the host.

The local cloud's endpoints (Keystone, Heat) listen on the host's loopback, and Heat's
handles name them so: a node reaches them at the same address from inside. The listening
sockets are made inside the namespace, then the process returns to its own namespace, where
it connects: one process serves both sides.
    netns-forward.py /run/netns/NAME PORT...
"""
import asyncio
import ctypes
import os
import socket
import sys

CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL(None, use_errno=True)


def setns(path: str) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        if libc.setns(fd, CLONE_NEWNET) != 0:
            raise OSError(ctypes.get_errno(), f'setns {path}')
    finally:
        os.close(fd)


async def pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        writer.close()


def handler(port: int):
    async def serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection('127.0.0.1', port)
        except OSError:
            writer.close()
            return
        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
    return serve


async def main(path: str, ports: list) -> None:
    own = f'/proc/{os.getpid()}/ns/net'
    own_fd = os.open(own, os.O_RDONLY)
    setns(path)
    socks = []
    for port in ports:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(('127.0.0.1', port))
        s.listen(64)
        socks.append((port, s))
    if libc.setns(own_fd, CLONE_NEWNET) != 0:
        raise OSError(ctypes.get_errno(), 'setns back')
    servers = [await asyncio.start_server(handler(port), sock=s) for port, s in socks]
    print(f'forwarding {", ".join(str(p) for p, _ in socks)} of {path} to the host', flush=True)
    await asyncio.gather(*(s.serve_forever() for s in servers))


if __name__ == '__main__':
    asyncio.run(main(sys.argv[1], [int(p) for p in sys.argv[2:]]))
