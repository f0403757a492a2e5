/**
 * A node of `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` output. Its keys are
 * PostgreSQL's ("Node Type", "Actual Rows", …), read through `field`.
 */
export type PlanNode = Record<string, unknown>;

/** The root object of EXPLAIN's JSON output. */
export type ExplainOutput = Record<string, unknown> & {Plan: PlanNode};

const field = (node: PlanNode, key: string) => node[key] as string | undefined;
const children = (node: PlanNode) => (node.Plans ?? []) as PlanNode[];

function describe(node: PlanNode): string {
  const index = field(node, 'Index Name');
  const relation = field(node, 'Relation Name');
  return (
    `${field(node, 'Node Type')}` +
    (index ? ` using ${index}` : '') +
    (relation ? ` on ${relation}` : '')
  );
}

/** Every node, outermost first: `Index Scan using … on chat_messages`. */
export function planNodes(node: PlanNode, out: string[] = []): string[] {
  out.push(describe(node));
  for (const child of children(node)) planNodes(child, out);
  return out;
}

/** Execution and planning time of an EXPLAIN ANALYZE, ms. */
export function planTimes(output: ExplainOutput) {
  return {
    executionMs: Number(output['Execution Time']),
    planningMs: Number(output['Planning Time']),
  };
}

/** The plan as an indented tree with rows, loops, time and buffers. */
export function renderPlan(output: ExplainOutput): string {
  const lines: string[] = [];
  const visit = (node: PlanNode, depth: number) => {
    const facts = [
      `rows=${field(node, 'Actual Rows')}`,
      `loops=${field(node, 'Actual Loops')}`,
      `time=${field(node, 'Actual Total Time')}ms`,
      `hit=${field(node, 'Shared Hit Blocks') ?? 0}`,
      `read=${field(node, 'Shared Read Blocks') ?? 0}`,
    ];
    const sort = field(node, 'Sort Method');
    if (sort) facts.push(`sort=${sort}`);
    const cond = field(node, 'Index Cond');
    lines.push(
      `${'  '.repeat(depth)}-> ${describe(node)}` +
        (cond ? ` [${cond}]` : '') +
        ` (${facts.join(' ')})`,
    );
    for (const child of children(node)) visit(child, depth + 1);
  };
  visit(output.Plan, 0);
  const {executionMs, planningMs} = planTimes(output);
  lines.push(
    `Planning ${planningMs.toFixed(3)} ms, execution ${executionMs.toFixed(3)} ms`,
  );
  return lines.join('\n');
}
