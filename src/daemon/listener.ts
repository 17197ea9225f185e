// The passive side: one TCP server on the configured listen address. A connection from a configured
// neighbor goes to that neighbor's session shell; anything else is closed at once and logged
// (only configured neighbors may talk to vrfleak).

import net from 'node:net';
import type { EventLog } from '../log/events.js';

export interface Acceptor {
  /** Hands an incoming connection to the neighbor's shell; false when it does not want it. */
  accept(socket: net.Socket): boolean;
}

export class Listener {
  private server: net.Server | undefined;

  constructor(
    private readonly lookup: (remote: string) => Acceptor | undefined,
    private readonly log: EventLog,
  ) {}

  listen(address: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = net.createServer({ noDelay: true }, (socket) => this.onConnection(socket));
      server.once('error', reject);
      server.listen({ host: address, port, exclusive: true }, () => {
        server.off('error', reject);
        server.on('error', () => undefined);
        this.server = server;
        resolve();
      });
    });
  }

  get port(): number | undefined {
    const a = this.server?.address();
    return a && typeof a === 'object' ? a.port : undefined;
  }

  private onConnection(socket: net.Socket): void {
    const remote = (socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const acceptor = this.lookup(remote);
    if (!acceptor) {
      this.log.emit({ event: 'connection-refused', remote, reason: 'not a configured neighbor' });
      socket.destroy();
      return;
    }
    if (!acceptor.accept(socket)) {
      this.log.emit({
        event: 'connection-refused',
        remote,
        reason: 'neighbor is administratively down',
      });
      socket.destroy();
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server) return resolve();
      this.server.close(() => resolve());
      this.server = undefined;
    });
  }
}
