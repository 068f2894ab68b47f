import * as net from 'node:net';
import { freePort, startTemporalDevServer, waitForTemporal } from '../scripts/temporal-dev-server';
import { e2eTemporalAddress } from './support/temporal';

describe('Temporal dev server provisioning', () => {
  it('fails at once with a message naming the port when the port is taken', async () => {
    const port = await freePort();
    const accepted = new Set<net.Socket>();
    const squatter = net.createServer((socket) => void accepted.add(socket));
    await new Promise<void>((resolve) => squatter.listen(port, '127.0.0.1', () => resolve()));
    try {
      const started = Date.now();
      const error: unknown = await startTemporalDevServer({ namespace: 'default', port, log: () => undefined }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(Error);
      const message = (error as Error).message;
      expect(message).toContain(`could not start on 127.0.0.1:${port}`);
      expect(message).toContain('address already in use');
      expect(message).toContain('TEMPORAL_DEV_PORT');
      // The child's early exit ends the wait; it must not sit out the 60 s readiness deadline.
      expect(Date.now() - started).toBeLessThan(30_000);
    } finally {
      accepted.forEach((socket) => socket.destroy());
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('waits for a running server to serve its namespace', async () => {
    await expect(waitForTemporal(e2eTemporalAddress(), 'default', 10_000)).resolves.toBeUndefined();
  });

  it('names the address and namespace when nothing answers in time', async () => {
    const port = await freePort();
    await expect(waitForTemporal(`127.0.0.1:${port}`, 'default', 1_000)).rejects.toThrow(
      new RegExp(`Temporal at 127\\.0\\.0\\.1:${port} did not serve namespace "default" within 1 s`),
    );
  });
});
