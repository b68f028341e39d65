import { tableView } from './generic.js';
import type { ViewContext } from './view-kit.js';

/** Knowledge sharing: who helps whom for a skill. */
export async function sharingView(ctx: ViewContext): Promise<void> {
  await tableView(ctx, '/knowledge-sharing', 'knowledge sharing');
}
