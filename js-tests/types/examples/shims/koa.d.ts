declare class Koa {
  use(middleware: (ctx: any, next: () => Promise<unknown>) => unknown): this;
  listen(port: number, host: string, callback?: () => void): any;
}
export default Koa;
