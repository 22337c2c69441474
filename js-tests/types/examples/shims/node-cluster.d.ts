declare const cluster: { isPrimary: boolean; workers: Record<string, any>; fork(): any; on(event: string, listener: (...args: any[]) => unknown): void };
export default cluster;
