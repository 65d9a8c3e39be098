// Type declarations only, for tsconfig.sw.json (never shipped, never emitted).
//
// TypeScript's WebWorker lib types `self` as a generic `WorkerGlobalScope`. Every script the
// sw config checks is a service worker, whose `self` is a `ServiceWorkerGlobalScope`
// (https://w3c.github.io/ServiceWorker/#serviceworkerglobalscope-interface). sw-dev.js spells
// `self.` directly (its text is asserted by tempestweb-wasm's tests), so these members and
// events of the service worker scope are merged into `WorkerGlobalScope` for this program.
// sw.js casts `self` to `ServiceWorkerGlobalScope` itself and does not depend on this file.

interface WorkerGlobalScope {
  readonly clients: Clients;
  readonly registration: ServiceWorkerRegistration;
  skipWaiting(): Promise<void>;
}

interface WorkerGlobalScopeEventMap {
  activate: ExtendableEvent;
  install: ExtendableEvent;
}
