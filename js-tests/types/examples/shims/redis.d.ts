export interface RedisClient {
  on(event: string, listener: (...args: any[]) => unknown): RedisClient;
  connect(): Promise<unknown>;
  quit(): Promise<unknown>;
  close(): Promise<unknown>;
  sendCommand(args: string[]): Promise<unknown>;
  duplicate(): RedisClient;
}
export declare function createClient(options?: object): RedisClient;
