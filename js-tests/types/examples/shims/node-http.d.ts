type Listener = (...args: any[]) => unknown;
declare const http: { createServer(listener: (req: any, res: any) => unknown): any };
export default http;
export declare function createServer(listener: (req: any, res: any) => unknown): any;
