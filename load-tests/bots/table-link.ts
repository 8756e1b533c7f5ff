/**
 * A bot's connection to one table, the same to the bot whether it runs on the official SDK or
 * on the lean client: requests, the decoded table state (when decoding), drop, reconnect, leave.
 */
import { Client, type Room } from '@colyseus/sdk';
import type { RouletteMessages } from '../../protocol/roulette.ts';
import { TableSchema } from '../../rooms/roulette/schema.ts';
import { LeanClient, countFrame } from './lean-client.ts';
import { JOIN_TIMEOUT_MS, bounded } from './context.ts';
import type { Recorder } from '../metrics/recorder.ts';

/** The synced table fields bots act on (rooms/roulette/schema.ts). */
export interface TableView {
  tableId: string;
  phase: string;
  roundId: string;
  deadline: number;
  minBetMinor: number;
  maxBetMinor: number;
}

/** A roulette table's reply to a request (protocol/roulette.ts); the echo server answers `{ ok: true }`. */
export type Reply<K extends keyof RouletteMessages = keyof RouletteMessages> = RouletteMessages[K]['reply'];

export interface TableLink {
  readonly roomId: string;
  /** Decoded table state, or null when this link does not decode state. */
  readonly table: TableView | null;
  request<K extends keyof RouletteMessages>(type: K, payload: RouletteMessages[K]['request']): Promise<Reply<K>>;
  /** Resolves on the next state frame, or after `timeoutMs`. */
  nextState(timeoutMs: number): Promise<void>;
  /** Loses the connection without leaving (the server keeps the seat for the reconnect grace). */
  drop(): void;
  reconnect(): Promise<void>;
  leave(): Promise<void>;
}

export interface LinkEvents {
  onState?: (link: TableLink, arrivedAtMs: number) => void;
  /** The connection closed without leave()/drop() (kicked, server gone). */
  onLost?: (code: number) => void;
}

export type ClientKind = 'sdk' | 'lean';

export interface JoinSpec {
  httpUrl: string;
  token: string;
  tableId: string;
  client: ClientKind;
  /** Lean only: decode the state (SDK links always decode). */
  decode: boolean;
  /** Lean, not decoding: take the table view (and state timing) from this link instead. */
  viewFrom?: TableLink;
  recorder: Recorder;
  events: LinkEvents;
  /** SDK client to reuse (the one that visited the lobby). */
  sdk?: Client;
}

export function joinTable(spec: JoinSpec): Promise<TableLink> {
  return spec.client === 'sdk' ? SdkLink.join(spec) : LeanLink.join(spec);
}

abstract class BaseLink {
  private waiters: Array<() => void> = [];
  protected expectingClose = false;
  constructor(protected readonly spec: JoinSpec) {}

  nextState(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== done);
        resolve();
      }, timeoutMs);
      const done = () => (clearTimeout(t), resolve());
      this.waiters.push(done);
    });
  }

  protected stateArrived(link: TableLink, at: number): void {
    if (this.spec.client === 'sdk') this.spec.recorder.count('messagesIn');
    this.spec.events.onState?.(link, at);
    if (this.waiters.length > 0) for (const w of this.waiters.splice(0)) w();
  }

  protected closed(code: number): void {
    if (this.expectingClose) return;
    this.spec.recorder.connections--;
    this.spec.events.onLost?.(code);
  }
}

class SdkLink extends BaseLink implements TableLink {
  private room!: Room<any, TableSchema>;
  private constructor(spec: JoinSpec, private readonly client: Client) {
    super(spec);
  }

  static async join(spec: JoinSpec): Promise<TableLink> {
    const client = spec.sdk ?? new Client(spec.httpUrl);
    client.auth.token = spec.token;
    const link = new SdkLink(spec, client);
    link.wire(await bounded(client.joinById(spec.tableId, {}, TableSchema), JOIN_TIMEOUT_MS, `join ${spec.tableId}`));
    return link;
  }

  get roomId(): string {
    return this.room.roomId;
  }

  get table(): TableView | null {
    return (this.room.state as unknown as TableView) ?? null;
  }

  async request<K extends keyof RouletteMessages>(type: K, payload: RouletteMessages[K]['request']): Promise<Reply<K>> {
    const reply = (await this.room.request(type, payload)) as Reply<K>;
    this.spec.recorder.count('messagesIn');
    return reply;
  }

  drop(): void {
    this.expectingClose = true;
    this.spec.recorder.connections--;
    // A close without the LEAVE_ROOM message: the server sees a drop and holds the seat.
    this.room.connection.close();
  }

  async reconnect(): Promise<void> {
    this.wire(await this.client.reconnect(this.room.reconnectionToken, TableSchema));
  }

  async leave(): Promise<void> {
    this.expectingClose = true;
    this.spec.recorder.connections--;
    await this.room.leave(true);
  }

  private wire(room: Room<any, TableSchema>): void {
    this.room = room;
    this.expectingClose = false;
    this.spec.recorder.connections++;
    room.reconnection.enabled = false; // bots reconnect themselves, with client.reconnect()
    room.onStateChange(() => this.stateArrived(this, Date.now()));
    room.onMessage('*', () => this.spec.recorder.count('messagesIn'));
    room.onLeave((code) => this.closed(code));
  }
}

class LeanLink extends BaseLink implements TableLink {
  private readonly client: LeanClient;
  private constructor(spec: JoinSpec) {
    super(spec);
    this.client = new LeanClient({
      httpUrl: spec.httpUrl,
      token: spec.token,
      stateClass: spec.decode ? TableSchema : undefined,
      onState: (at) => this.stateArrived(this, at),
      onFrame: (f) => countFrame(spec.recorder, f),
      onClose: (code) => this.closed(code),
    });
  }

  static async join(spec: JoinSpec): Promise<TableLink> {
    const link = new LeanLink(spec);
    await link.client.joinById(spec.tableId);
    spec.recorder.connections++;
    return link;
  }

  get roomId(): string {
    return this.client.roomId;
  }

  get table(): TableView | null {
    return this.spec.viewFrom ? this.spec.viewFrom.table : (this.client.state as TableView | null);
  }

  override nextState(timeoutMs: number): Promise<void> {
    return this.spec.viewFrom ? this.spec.viewFrom.nextState(timeoutMs) : super.nextState(timeoutMs);
  }

  async request<K extends keyof RouletteMessages>(type: K, payload: RouletteMessages[K]['request']): Promise<Reply<K>> {
    const r = await this.client.request(type, payload);
    if (!r.ok) return { ok: false, error: { code: 'server/request_failed', message: String((r.payload as any)?.message ?? r.payload) } };
    return (r.payload as Reply<K>) ?? ({ ok: true } as Reply<K>);
  }

  drop(): void {
    this.expectingClose = true;
    this.spec.recorder.connections--;
    this.client.drop();
  }

  async reconnect(): Promise<void> {
    await this.client.reconnect();
    this.expectingClose = false;
    this.spec.recorder.connections++;
  }

  async leave(): Promise<void> {
    this.expectingClose = true;
    this.spec.recorder.connections--;
    await this.client.leave();
  }
}
