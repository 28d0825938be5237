// Generates infra/modules/monitoring/prometheus-rules.tf from observability/prometheus/rules/*.yml: one
// azurerm_monitor_alert_prometheus_rule_group per rule group, so managed Prometheus in Azure evaluates exactly
// the rules promtool tests here. Re-run after any change to the rule files (PrometheusRulesTerraformTests fails
// until you do):
//   node src/test/tools/prometheus-rules-to-terraform.mjs            (from the repository root)
// --check compares instead of writing (exit 1 when the file is out of date). The output goes through
// `terraform fmt -` when terraform is installed, so it is canonically formatted.
import { readFile, readdir, writeFile } from "node:fs/promises";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { parse } from "yaml";

const RULES = "observability/prometheus/rules";
const OUTPUT = "infra/modules/monitoring/prometheus-rules.tf";
const COMMAND = "node src/test/tools/prometheus-rules-to-terraform.mjs";
// Azure Monitor's severities (0 critical … 4 verbose) and the action group of each label value.
const SEVERITY = { critical: 0, warning: 2 };
const ACTION_GROUP = { critical: "azurerm_monitor_action_group.critical.id" };
const DEFAULT_ACTION_GROUP = "azurerm_monitor_action_group.warning.id";
const MAX_RULES_PER_GROUP = 20; // Azure Monitor's limit

const check = process.argv.includes("--check");

/** A Prometheus duration (30s, 5m, 1h30m, 2d) as ISO 8601 (PT30S, PT5M, PT1H30M, P2D). */
export function isoDuration(value) {
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(String(value));
  if (!match || String(value) === "") throw new Error(`unsupported duration: ${value}`);
  const [, d, h, m, s] = match;
  const time = (h ? `${h}H` : "") + (m ? `${m}M` : "") + (s ? `${s}S` : "");
  return "P" + (d ? `${d}D` : "") + (time ? `T${time}` : "");
}

/** An HCL quoted string: JSON escapes plus HCL's template sequences escaped. */
function quoted(text) {
  return JSON.stringify(String(text)).replaceAll("${", "$${").replaceAll("%{", "%%{");
}

/** A heredoc for multi-line text, else a quoted string. */
function string(text, indent) {
  const value = String(text).replace(/\n+$/, "");
  if (!value.includes("\n")) return quoted(value);
  const body = value.split("\n").map((line) => (line === "" ? "" : indent + "  " + line.replaceAll("${", "$${").replaceAll("%{", "%%{")));
  return `<<-EOT\n${body.join("\n")}\n${indent}EOT`;
}

function map(entries, indent) {
  const keys = Object.keys(entries ?? {}).sort();
  if (keys.length === 0) return "{}";
  const lines = keys.map((key) => `${indent}  ${/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? key : quoted(key)} = ${quoted(entries[key])}`);
  return `{\n${lines.join("\n")}\n${indent}}`;
}

function identifier(name) {
  return name.replace(/[^A-Za-z0-9_]/g, "_").replace(/^([0-9])/, "_$1");
}

function rule(r, file) {
  const i = "    ";
  const out = ["  rule {"];
  if (r.alert) {
    const severity = r.labels?.severity;
    out.push(`${i}alert      = ${quoted(r.alert)}`);
    out.push(`${i}enabled    = true`);
    out.push(`${i}expression = ${string(r.expr, i)}`);
    if (r.for) out.push(`${i}for        = ${quoted(isoDuration(r.for))}`);
    out.push(`${i}severity   = ${SEVERITY[severity] ?? 3}`);
    out.push(`${i}labels     = ${map(r.labels, i)}`);
    out.push(`${i}annotations = ${map(r.annotations, i)}`);
    out.push("", `${i}action {`, `${i}  action_group_id = ${ACTION_GROUP[severity] ?? DEFAULT_ACTION_GROUP}`, `${i}}`);
    out.push("", `${i}alert_resolution {`, `${i}  auto_resolved   = true`, `${i}  time_to_resolve = "PT10M"`, `${i}}`);
  } else if (r.record) {
    out.push(`${i}record     = ${quoted(r.record)}`);
    out.push(`${i}enabled    = true`);
    out.push(`${i}expression = ${string(r.expr, i)}`);
    if (r.labels) out.push(`${i}labels     = ${map(r.labels, i)}`);
  } else {
    throw new Error(`${file}: a rule with neither alert nor record`);
  }
  out.push("  }");
  return out.join("\n");
}

function group(g, file) {
  if (g.rules.length > MAX_RULES_PER_GROUP) {
    throw new Error(`${file}: group ${g.name} has ${g.rules.length} rules; Azure Monitor allows ${MAX_RULES_PER_GROUP} per group: split it`);
  }
  return [
    `resource "azurerm_monitor_alert_prometheus_rule_group" ${quoted(identifier(g.name))} {`,
    `  name                = "${g.name}-\${var.environment}"`,
    `  resource_group_name = var.resource_group_name`,
    `  location            = var.location`,
    `  scopes              = [azurerm_monitor_workspace.this.id]`,
    `  description         = ${quoted(`${g.name} of ${file}`)}`,
    `  rule_group_enabled  = true`,
    `  interval            = ${quoted(isoDuration(g.interval ?? "1m"))}`,
    `  tags                = var.tags`,
    "",
    g.rules.map((r) => rule(r, file)).join("\n\n"),
    "}",
  ].join("\n");
}

export async function generate() {
  const files = (await readdir(RULES)).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml")).sort();
  const blocks = [];
  for (const file of files) {
    const path = join(RULES, file);
    for (const g of parse(await readFile(path, "utf8"))?.groups ?? []) blocks.push(group(g, path));
  }
  const text = [
    `# GENERATED from ${RULES}/*.yml. Do not edit: change the rule files, then run`,
    `#   ${COMMAND}`,
    "# Severity: critical -> 0 and the critical action group, warning -> 2 and the warning one.",
    "",
    blocks.join("\n\n"),
    "",
  ].join("\n");
  const fmt = spawnSync("terraform", ["fmt", "-"], { input: text, encoding: "utf8", env: { ...process.env, TF_CLI_CONFIG_FILE: "/dev/null" } });
  if (fmt.error || fmt.status !== 0) {
    console.error(`terraform fmt unavailable or failed (${fmt.error?.message ?? fmt.stderr}); writing unformatted output`);
    return text;
  }
  return fmt.stdout;
}

const text = await generate();
if (check) {
  const current = await readFile(OUTPUT, "utf8").catch(() => "");
  if (current !== text) {
    console.error(`${OUTPUT} is out of date with ${RULES}: run \`${COMMAND}\``);
    process.exit(1);
  }
  console.log(`${OUTPUT} is up to date`);
} else {
  await writeFile(OUTPUT, text);
  console.log(`wrote ${OUTPUT}`);
}
