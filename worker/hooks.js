// A deployment's own code, run by the Worker at fixed points without touching the core or the routes. Today one
// hook: onClassified(features, verdict, { id, route }), called after the policy decided on an upload and before
// anything is stored; it returns a verdict to use instead ({ verdict: 'allow' | 'flag' | 'reject', rule }) or
// nothing to keep the policy's. See the README's "Moderation" section.
//
// createWorker({ onClassified }) (index.js) hands the hooks to every request on its env, under a symbol, so no
// binding or var can collide with them and the routes read them like any other setting.
const HOOKS = Symbol('edgepix hooks');

/** `env` seen through a layer that adds `hooks` (bindings and vars still resolve, through the prototype). */
export function withHooks(env, hooks) {
  return Object.create(env, { [HOOKS]: { value: Object.freeze({ ...hooks }) } });
}

export const hooksOf = (env) => env[HOOKS] ?? {};
