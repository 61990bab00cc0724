// bench/estimate.sh: the same estimates in DuckDB SQL: group and cell
// (group x PSU) sums, linearised PSU totals, the with-replacement variance
// per stratum (n_h/(n_h-1) (sum t^2 - (sum t)^2/n_h), PSUs without a
// member counting as zero). Usage: node estimate_duckdb.mjs DATA.csv BY OUT.csv
// Prints on stderr: duckdb load_s=... estimate_s=...
import { DuckDBInstance } from '@duckdb/node-api';
import { writeFileSync } from 'node:fs';

const [path, by, out] = process.argv.slice(2);
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
let t0 = performance.now();
const types = [...new Set(['stratum', 'cluster', by])].map(k => `'${k}':'VARCHAR'`).join(',');
await c.run(`CREATE TABLE t AS SELECT * FROM read_csv('${path}', header=true, types={${types}})`);
let t1 = performance.now();
const cols = (await c.runAndReadAll(`SELECT column_name FROM information_schema.columns
  WHERE table_name='t' AND column_name LIKE 'q%' ORDER BY ordinal_position`)).getRows().map(r => r[0]);
const g = cols.map(v => `SUM(w*${v}) S_${v}, SUM(CASE WHEN ${v} IS NOT NULL THEN w END) W_${v}, COUNT(${v}) N_${v}`).join(',');
const cell = cols.map(v => `SUM(w*${v}) A_${v}, SUM(CASE WHEN ${v} IS NOT NULL THEN w END) B_${v}`).join(',');
const tt = cols.map(v => `(COALESCE(A_${v},0) - S_${v}/W_${v}*COALESCE(B_${v},0))/W_${v} t_${v}`).join(',');
const agg = cols.map(v => `SUM(t_${v}) s_${v}, SUM(t_${v}*t_${v}) ss_${v}`).join(',');
const vr = cols.map(v => `SUM(nh/(nh-1.0)*(ss_${v} - s_${v}*s_${v}/nh)) v_${v}`).join(',');
const sel = cols.map(v => `S_${v}/W_${v} e_${v}, SQRT(GREATEST(v_${v},0)) se_${v}, N_${v}`).join(',');
const sql = `
WITH g AS (SELECT ${by} AS grp, ${g} FROM t GROUP BY ${by}),
 c AS (SELECT ${by} AS grp, stratum, cluster, ${cell} FROM t GROUP BY ${by}, stratum, cluster),
 nh AS (SELECT stratum, COUNT(DISTINCT cluster) nh FROM t GROUP BY stratum),
 tc AS (SELECT c.grp, c.stratum, ${tt} FROM c JOIN g USING (grp)),
 sh AS (SELECT grp, stratum, ${agg} FROM tc GROUP BY grp, stratum),
 v AS (SELECT grp, ${vr} FROM sh JOIN nh USING (stratum) GROUP BY grp)
SELECT grp, ${sel} FROM g JOIN v USING (grp)`;
const rows = (await c.runAndReadAll(sql)).getRows();
let t2 = performance.now();
const lines = ['by,variable,n,estimate,se'];
for (const r of rows)
  cols.forEach((v, j) => {
    const n = Number(r[1 + 3 * j + 2]);
    if (n > 0) lines.push(`${r[0]},${v},${n},${r[1 + 3 * j]},${r[2 + 3 * j]}`);
  });
writeFileSync(out, lines.join('\n') + '\n');
console.error(`duckdb load_s=${((t1 - t0) / 1000).toFixed(3)} estimate_s=${((t2 - t1) / 1000).toFixed(3)}`);
