/** The part of a socket that closing needs (net.Socket, or the stream a driver keeps). */
export interface ClosingSocket {
  destroyed?: boolean;
  destroy(): void;
  once(event: 'close', fn: () => void): void;
}

/**
 * Resolves once the socket has closed, or after `waitMs`, destroying it then. A client's end or
 * quit answers when it has sent its goodbye, while the peer closes the socket a moment later: a
 * caller that goes on (a test worker exiting, a process draining) must not find it still open.
 */
export function socketClosed(socket: ClosingSocket, waitMs: number): Promise<void> {
  if (socket.destroyed) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve();
    }, waitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}
