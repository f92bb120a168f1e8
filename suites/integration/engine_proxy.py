#!/usr/bin/env python3
"""A unix-socket proxy in front of the Docker engine: the container suite points an engine
client at it and SIGKILLs it mid-test, which is, seen from the client, dockerd stopping —
without stopping the engine every other suite on the machine is using.
usage: engine_proxy.py LISTEN_SOCKET ENGINE_SOCKET"""
import os
import socket
import sys
import threading

listen_path, engine_path = sys.argv[1], sys.argv[2]
server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
server.bind(listen_path)
os.chmod(listen_path, 0o600)
server.listen(64)


def pipe(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    for s in (source, sink):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


while True:
    client, _ = server.accept()
    engine = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    engine.connect(engine_path)
    threading.Thread(target=pipe, args=(client, engine), daemon=True).start()
    threading.Thread(target=pipe, args=(engine, client), daemon=True).start()
