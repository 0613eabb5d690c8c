/**
 * One connection's share of a turn of the event loop. Node reads a busy
 * socket up to 32 times in one turn (2 MiB), and every message in it is
 * handled before anything else runs: a client sending as fast as it can held
 * the server for 1.5 s at a time, and every other person and room waited.
 * After `budget` messages the socket pauses until the next turn, so what is
 * already read is handled but nothing more is read until the others had their
 * turn.
 */
export function turnShare(socket: { pause(): void; resume(): void }, budget = 256): () => void {
  let handled = 0;
  return () => {
    if (++handled < budget) return;
    handled = 0;
    socket.pause();
    setImmediate(() => socket.resume());
  };
}
