import { prefetch } from './api';
import { INBOX_FIRST_PAGE } from './inbox-query';
import { lookupsReady, setLookupCaller } from './lookups';
import { preload } from './preload';
import type { Me } from './session';
import { knownMe, may } from './session';

/**
 * The first thing the console's script runs, before the component libraries are evaluated: a
 * signed-in person opening the inbox gets it sooner when who they are, the inbox's code, its first
 * page and the names it shows are asked for at once, rather than one after the other. Who they
 * are is known already when this session has asked before (after the login, on a reload): then
 * nothing waits for it, and the API is asked again alongside.
 */
const me = prefetch<Me>('/auth/me');

/** How long the first render waits for the inbox's code, at most. */
const FIRST_RENDER_WAIT_MS = 1_000;

/** Asks for the inbox's first page and names, and its code, whose arrival it answers. */
function startInbox(caller: Me): Promise<unknown> | null {
  if (!may(caller, 'tasks.work') || !/^\/console\/?$/.test(window.location.pathname)) return null;
  void prefetch(INBOX_FIRST_PAGE);
  void lookupsReady();
  return preload('inbox', () => import('./pages/Inbox'));
}

const known = knownMe();
if (known) setLookupCaller(known);
const inbox = known ? startInbox(known) : null;
// A failed early load is not an error yet: the page asks again when it is opened.
if (!known && me) void me.then((caller) => startInbox(caller)?.catch(() => undefined), () => undefined);

/**
 * When the console may render first: at once, unless the inbox is opened by someone already known,
 * whose layout and inbox then appear in one render as soon as the inbox's code is in (or after
 * {@link FIRST_RENDER_WAIT_MS}): no loading state between them, and no delay React adds before it
 * replaces a fallback it has just shown. The rows follow as their answer comes, often at once.
 */
export const firstRender: Promise<void> = inbox
  ? Promise.race([inbox.then(() => undefined, () => undefined), new Promise<void>((resolve) => setTimeout(resolve, FIRST_RENDER_WAIT_MS))])
  : Promise.resolve();
