import { EventEmitter } from 'node:events';
import type { DocumentMeta } from '../shared/schemas.ts';

/**
 * Domain events: services announce what happened, and transports (Socket.IO
 * today, a Redis fan-out later) decide who hears it. Services never import a
 * transport.
 */
export interface DomainEvents {
  documentCreated: [document: DocumentMeta];
}

export class DomainEventBus extends EventEmitter<DomainEvents> {}
