import * as net from 'node:net';

/**
 * A loopback TCP forwarder the tests can cut and restore, to make a real dependency
 * (Postgres, Temporal) unreachable for the app under test without stopping it for everyone.
 */
export class TcpProxy {
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private listenPort = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  /** host:port the app should use instead of the target. */
  get address(): string {
    return `127.0.0.1:${this.listenPort}`;
  }

  get port(): number {
    return this.listenPort;
  }

  /** Starts forwarding (on the same port as before after a `cut()`). */
  async open(): Promise<void> {
    const server = net.createServer((inbound) => {
      const outbound = net.connect(this.targetPort, this.targetHost);
      this.sockets.add(inbound).add(outbound);
      const forget = (): void => {
        this.sockets.delete(inbound);
        this.sockets.delete(outbound);
        inbound.destroy();
        outbound.destroy();
      };
      inbound.on('error', forget).on('close', forget);
      outbound.on('error', forget).on('close', forget);
      inbound.pipe(outbound).pipe(inbound);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.listenPort, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    if (typeof address === 'object' && address) this.listenPort = address.port;
    this.server = server;
  }

  /** Refuses new connections and drops open ones: the target becomes unreachable. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async close(): Promise<void> {
    await this.cut();
  }
}
