// Writes a buffer to a socket, bypassing Node's stream machinery when nothing is queued.
//
// A broadcast is one write per member, and at a steady rate (each message its own event-loop turn)
// that is the server's hot path: `socket.write` costs ≈ 1.4 µs of JavaScript and C++ per call on
// top of the write(2) itself (the Writable state machine, a WriteWrap request object, an
// after-write tick). When the socket's queue is empty, the same bytes can go to its file
// descriptor directly: write(2) on a non-blocking socket takes what fits and returns. What does
// not fit (or an error: EAGAIN, EPIPE, ECONNRESET) goes through `socket.write`, which queues it
// behind nothing, waits for writability and reports errors through the socket's 'error' event as
// always. Order is kept: the direct write only happens while the stream holds no bytes.
//
// The descriptor comes from the socket's libuv handle (`_handle.fd`): a Unix stream socket has one;
// on Windows, for TLS sockets and for any other stream it is missing or -1 and every write takes
// the stream path.
import { writeSync } from 'node:fs';
import type { Socket } from 'node:net';

interface HandleWithFd {
  fd?: number;
}

function directFd(socket: Socket): number {
  if (socket.writableLength !== 0 || socket.writableCorked !== 0 || !socket.writable) return -1;
  const handle = (socket as unknown as { _handle?: HandleWithFd | null })._handle;
  const fd = handle?.fd;
  return typeof fd === 'number' && fd >= 0 ? fd : -1;
}

/** How a write went out: all by write(2), part by write(2) and the rest queued, or all queued. */
export type SocketWritePath = 'direct' | 'partial' | 'stream';

/** Sends `data` on `socket`, by write(2) when the socket's queue is empty, else through the stream. */
export function writeToSocket(socket: Socket, data: Buffer, direct: boolean): SocketWritePath {
  const fd = direct ? directFd(socket) : -1;
  if (fd < 0) {
    socket.write(data);
    return 'stream';
  }
  let written: number;
  try {
    written = writeSync(fd, data);
  } catch {
    // EAGAIN (the kernel buffer is full) or a dead peer: the stream retries or reports it.
    socket.write(data);
    return 'stream';
  }
  if (written === data.length) return 'direct';
  socket.write(data.subarray(written));
  return 'partial';
}
