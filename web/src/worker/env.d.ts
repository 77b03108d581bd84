// The one piece of Vite's client types the worker needs (vite/client is not
// used here so that no DOM typing leaks into the worker's program).
interface ImportMetaEnv {
  readonly DEV: boolean;
}
interface ImportMeta {
  readonly env: ImportMetaEnv;
}
