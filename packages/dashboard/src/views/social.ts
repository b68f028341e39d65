import { tableView } from './generic.js';
import type { ViewContext } from './view-kit.js';

/** Social and formal: evidence by source over time; platform and verb activity. */
export async function socialView(ctx: ViewContext): Promise<void> {
  await tableView(ctx, '/social-formal', 'social and formal');
}
