declare function express(): any;
declare namespace express {
  function json(): any;
  function raw(options?: object): any;
}
export default express;
