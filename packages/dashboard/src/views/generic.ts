import { report } from '../api.js';
import { stateBlock } from '../dom.js';
import { notServed } from './pending.js';
import { chartCard, filterParams, table, type ViewContext } from './view-kit.js';

/** A report drawn as its table (until a view has its own chart). */
export async function tableView(ctx: ViewContext, path: string, what: string): Promise<void> {
  const params = filterParams(ctx.state);
  let res;
  try {
    res = await report(path, params);
  } catch (error) {
    const pending = notServed(error, what);
    if (pending === null) throw error;
    ctx.main.append(pending);
    return;
  }
  if (res.rows.length === 0) {
    ctx.main.append(stateBlock('empty', `No ${what} for these filters.`));
    return;
  }
  const { card } = await chartCard({ title: what, description: '', path, params, testId: what });
  card.querySelector('.chart')?.remove();
  card.append(
    table(
      what,
      res.columns.map((c) => ({ key: c.name, title: c.name })),
      res.rows,
    ),
  );
  ctx.main.append(card);
}
