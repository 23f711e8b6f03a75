#!/usr/bin/env bash
# The support-policy commands on a small database built from tests/policy/fixtures: the boundary
# cases the rules are judged on (listed at "awards" below), the CSV and JSON contracts,
# explanations, what-if, the ledger and award status moves.
. "$(dirname "$0")/lib.bash"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
PF="$ROOT/tests/policy/fixtures"
export LIANZHANG_POLICIES="$ROOT/policies/jiangmen"
C=91440704142740223L

load_policy_fixtures "$T/db" || fail "the policy fixtures load"

# ---- rule files ----
expect_exit 0 "policy check accepts the Jiangmen rules" "$LZ" policy check
expect_exit 1 "policy check rejects a rule adding a percentage to money" "$LZ" policy check "$PF/bad.policy"
expect_in "$ERR" "bad.policy:9:29: cannot add percent to money" "the error names FILE:LINE:COL and the unit clash"
expect_exit 0 "every policy's own test cases pass" "$LZ" policy test
expect_in "$OUT" " 0 failed" "policy test reports its summary"
run "$LZ" policy list --lang en
expect_in "$OUT" "finance.neeq" "described-only measures are in the catalogue"
expect_in "$OUT" "described, not quantified in the source" "and are marked as such"
run "$LZ" policy show talent.executive_iit
expect_in "$OUT" "param local_share = 40% (ASSUMED)" "assumed parameters are shown as assumed"
run "$LZ" policy list --lang en
expect_eq "$(printf '%s\n' "$OUT" | awk '$1 == "miit.tech_upgrade" { print $4, $5 }')" "2021–2025 assumed" "the tech-upgrade window is listed as assumed"
expect_eq "$(printf '%s\n' "$OUT" | awk '$1 == "miit.above_scale" { print $4, $5 }')" "2021–2025 article" "the above-size window is the article's"
run "$LZ" policy list --lang zh-CN
expect_eq "$(printf '%s\n' "$OUT" | awk '$1 == "miit.tech_upgrade" { print $4, $5 }')" "2021–2025 假设" "in Chinese too"
run "$LZ" policy show miit.tech_upgrade
expect_in "$OUT" "valid: award years 2021-2025 (assumed)" "policy show gives the window's source"
expect_in "$OUT" "param large_employees = 1000 (confirmed 工信部联企业〔2011〕300号 2011-06-18)" "a confirmed parameter names its document and date"
expect_in "$OUT" "param rate = 10% (article, maximum) — 奖补比例" "a figure of the article says so, that it is a maximum, and its label"
run "$LZ" policy show land.lease_first --lang zh-TW
expect_in "$OUT" "grant: “先租後讓”：土地先以租賃方式供應" "an entitlement says what it allows in the language asked for"

# ---- awards: the CSV contract and the boundary cases: a tech upgrade over the 3,000,000.00 cap,
# 10% of 12,345,678.90 to the fen, executive wages of 300,000.00 (not above the line) and
# 300,000.01, value added at exactly 1.10 x the year before (no tier 2) and at 1.1001 x ----
run "$LZ" awards "$T/db" --year 2022 --format csv
expect_eq "$(printf '%s\n' "$OUT" | head -1)" "policy,policy_name,department,subject,subject_id,uscc,enterprise_name,status,amount" \
  "CSV header is the contract: each code with its name beside"
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts (names: exports.sh)
expect_in "$OUT" "miit.tech_upgrade,project,P1,$C,eligible,3000000.00" "tech upgrade capped at 3,000,000.00"
expect_in "$OUT" "miit.tech_upgrade,project,P2,$C,eligible,1234567.89" "tech upgrade 10% of 12,345,678.90"
expect_in "$OUT" "talent.executive_iit,person,H2,$C,eligible,200000.00" "executive with wage 300,000.01: 200,000.00"
expect_in "$OUT" "miit.above_scale,enterprise,914407816639575679,914407816639575679,eligible,100000.00" "first above size in 2021: 100,000 in 2022"
expect_in "$OUT" "miit.chain_master,event,E1,914407816639575679,pending,0.00" "no approved amount: pending"
expect_not_in "$OUT" "not_eligible" "not-eligible rows only with --all"
run "$LZ" awards "$T/db" --year 2022 --format csv --all
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts (names: exports.sh)
expect_in "$OUT" "miit.tech_upgrade,project,P3,$C,not_eligible,0.00" "--all shows not-eligible rows with 0.00"
expect_in "$OUT" "talent.executive_iit,person,H1,$C,not_eligible,0.00" "wage exactly 300,000.00 is not eligible"
run "$LZ" awards "$T/db" --year 2023 --format csv --all
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts (names: exports.sh)
expect_in "$OUT" "miit.above_scale,enterprise,914407814033488967,914407814033488967,eligible,100000.00" "value added x1.1001: tier 2 in 2023"
expect_in "$OUT" "miit.above_scale,enterprise,914407816639575679,914407816639575679,not_eligible,0.00" "value added x1.10 exactly: no tier 2"

# ---- JSON ----
run "$LZ" awards "$T/db" --year 2022 --format json --lang en
checked=$(printf '%s' "$OUT" | python3 -c '
import json, sys
d = json.load(sys.stdin)
p1 = [r for r in d["results"] if r["subject_id"] == "P1"][0]
assert p1["amount"] == "3000000.00" and p1["status"] == "eligible" and p1["policy"] == "miit.tech_upgrade"
assert "cap per award" in p1["explanation"]
assert d["totals"]["policy"]["miit.tech_upgrade"] == "4234567.89"
assert d["totals"]["department"]["市工信局"] == "4434567.89"
print("ok")' 2>&1)
expect_eq "$checked" "ok" "JSON: amounts as decimal strings, explanations, totals per policy and department"

# ---- explain ----
run "$LZ" explain "$T/db" --year 2022 --enterprise "$C" --policy miit.tech_upgrade --lang en
expect_in "$OUT" "equipment investment 1,800,000.00 < 2,000,000.00 required, 200,000.00 short" "explain gives the failing condition and its distance"
run "$LZ" explain "$T/db" --year 2022 --enterprise "$C" --policy talent.executive_iit
expect_in "$OUT" "条款" "explanations are zh-CN by default"
expect_in "$OUT" "适用奖励年度：2021 起（假设值，待主管部门确认）" "the effective award years are shown with their source"
expect_in "$OUT" "假设值" "assumed parameters are flagged in the explanation"
run "$LZ" explain "$T/db" --year 2022 --enterprise "$C" --policy talent.executive_iit --lang zh-TW
expect_in "$OUT" "條款" "explanations in zh-TW"
expect_in "$OUT" "個人所得稅地方留成比例 = 40%（假設值，待主管部門確認）" "parameters by their zh-TW label"
expect_in "$OUT" "對象：人才 H2「陈志明」" "a person by the name on record" 
run "$LZ" explain "$T/db" --year 2022 --enterprise "$C" --policy miit.tech_upgrade
expect_in "$OUT" "中小企业技术改造事后奖补 — 对象：项目 P1「Line upgrade」（企业 Test Enterprise C，统一社会信用代码 $C）" "the subject's kind in words and its name, the enterprise by name and code"
expect_in "$OUT" "结论：符合条件，300万元" "a round award in 万元"
expect_in "$OUT" "起点固定资产投资 = 500万元（原文）" "a parameter by its label, its money in 万元"
expect_not_in "$OUT" "min_fixed_asset" "never the parameter's code name"
expect_not_in "$OUT" "miit.tech_upgrade" "nor the policy's"
expect_in "$OUT" "解读：适用于中小企业技术改造" "the reading in zh-CN"
expect_in "$OUT" "[✓] 技术改造项目：项目类型 技术改造" "a stored code in words, a condition met shown once"
run "$LZ" explain "$T/db" --year 2022 --enterprise "$C" --policy miit.tech_upgrade --lang zh-TW
expect_in "$OUT" "解讀：適用於中小企業技術改造" "the reading in zh-TW"
run "$LZ" explain "$T/db" --year 2022 --enterprise "$C" --policy miit.tech_upgrade --lang en
expect_in "$OUT" "Reading: For 中小企業 technical upgrades" "the reading in English"

# ---- what-if: no database at all ----
run "$LZ" whatif --year 2022 "$PF/whatif.json" --format csv
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts (names: exports.sh)
expect_in "$OUT" "talent.executive_iit,person,H2,$C,eligible,200000.00" "what-if computes the executive award from a facts document"
printf '{"enterprise": {"uscc": "X", "indicators": {"2021": {"revenue": 1.5}}}}' > "$T/float.json"
expect_exit 1 "what-if refuses a floating-point amount" "$LZ" whatif --year 2022 "$T/float.json"
expect_in "$ERR" "enterprise.indicators.2021.revenue" "and names the JSON field"

# ---- the ledger ----
expect_exit 0 "recording a year" "$LZ" awards "$T/db" --year 2022 --record --format csv
expect_in "$ERR" "ledger 2022: 6 added, 0 changed, 0 removed, 0 unchanged" "the first run adds every award"
run "$LZ" awards "$T/db" --year 2022 --record --format csv
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts (names: exports.sh)
expect_in "$ERR" "0 added, 0 changed, 0 removed, 6 unchanged" "recomputing a year is idempotent"
sed 's/12345678.90/22345678.90/' "$PF/projects.csv" > "$T/projects.csv"
"$LZ" import "$T/db" projects "$T/projects.csv" > /dev/null
run "$LZ" awards "$T/db" --year 2022 --record --format csv
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts (names: exports.sh)
expect_in "$ERR" "changed miit.tech_upgrade project P2 eligible 2234567.89 (was eligible 1234567.89)" "a changed fact shows what changed"
run "$LZ" award "$T/db" list --year 2022 --policy miit.tech_upgrade
expect_in "$OUT" "id,year,policy,subject,subject_id,uscc,result,amount,status,updated_by" "award list prints the ledger with ids"
id=$(printf '%s\n' "$OUT" | grep ',P1,' | cut -d, -f1)
expect_in "$OUT" "$id,2022,miit.tech_upgrade,project,P1,$C,eligible,3000000.00,computed," "a recorded award starts as computed"
for who in reviewer approver; do # sign-off is four eyes: two accounts besides the one that computed
  "$LZ" user add "$T/db" "$who" --role admin --password-stdin <<< 'long enough pw' > /dev/null || fail "account $who"
done
expect_exit 0 "computed -> reviewed" "$LZ" award "$T/db" "$id" reviewed --as reviewer
expect_exit 0 "reviewed -> approved" "$LZ" award "$T/db" "$id" approved --as approver
expect_exit 0 "approved -> paid" "$LZ" award "$T/db" "$id" paid --as approver
expect_exit 1 "paid -> reviewed is refused" "$LZ" award "$T/db" "$id" reviewed --as reviewer
expect_in "$ERR" "cannot become reviewed" "the refusal names both states"
expect_exit 1 "rejecting needs a reason" "$LZ" award "$T/db" "$id" rejected --as approver
expect_eq "$(sqlite3 "$T/db" "SELECT status || ' by ' || (updated_by <> '') FROM awards WHERE id = $id")" "paid by 1" "the ledger keeps the status and who moved it"
expect_exit 0 "every status change is in a verifiable audit log" "$LZ" audit verify "$T/db"
expect_eq "$(sqlite3 "$T/db" "SELECT count(*) FROM audit_log WHERE target = 'awards/$id'")" "3" "one audit entry per status move"
sed 's/40000000.00/10000000.00/' "$PF/projects.csv" > "$T/projects2.csv"
"$LZ" import "$T/db" projects "$T/projects2.csv" > /dev/null
run "$LZ" awards "$T/db" --year 2022 --record --format csv
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts (names: exports.sh)
expect_in "$ERR" "differs miit.tech_upgrade project P1 eligible 1000000.00" "a paid award is not rewritten by a recomputation"
expect_eq "$(sqlite3 "$T/db" "SELECT amount FROM awards WHERE id = $id")" "300000000" "the paid amount stays as recorded"

# ---- 分別: a national and a provincial centre of one enterprise in one year are both paid ----
cp "$T/db" "$T/pair.db"
printf 'id,uscc,date,kind,amount,detail,flags\nNAT,%s,2021-03-01,national_innovation_center,8000000.00,,\nPROV,%s,2021-04-01,provincial_innovation_center,5000000.00,,\n' "$C" "$C" > "$T/pair.csv"
"$LZ" import "$T/pair.db" events "$T/pair.csv" > /dev/null || fail "the pair of events loads"
run "$LZ" awards "$T/pair.db" --year 2022 --format csv
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts (names: exports.sh)
expect_in "$OUT" "tech.innovation_center_provincial,event,PROV,$C,eligible,5000000.00" "the provincial centre is paid beside a national one"
expect_in "$OUT" "tech.innovation_center,event,NAT,$C,eligible,8000000.00" "and so is the national centre"
run "$LZ" awards "$T/pair.db" --year 2022 --policy tech.innovation_center_provincial --format csv
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts (names: exports.sh)
expect_not_in "$OUT" "tech.innovation_center,event,NAT" "a policy asked for lists its own results only"
count_awards="SELECT count(*) FROM awards WHERE year = 2022 AND policy <> 'miit.tech_upgrade'"
others=$(sqlite3 "$T/pair.db" "$count_awards")
expect_exit 0 "recording one policy" "$LZ" awards "$T/pair.db" --year 2022 --record --policy miit.tech_upgrade --format csv
expect_eq "$(sqlite3 "$T/pair.db" "$count_awards")" "$others" "recording one policy leaves the other policies' awards alone"
expect_in "$ERR" "0 removed" "and withdraws nothing of theirs"

# ---- schema version 6: the ledger table rebuilt; a version-5 file (no key-enterprise directory, event chains or article fields yet) keeps its awards ----
cp "$T/db" "$T/v5.db"
sqlite3 "$T/v5.db" "PRAGMA foreign_keys=OFF; BEGIN;
  CREATE TABLE old AS SELECT * FROM awards; DROP TABLE awards;
  CREATE TABLE awards (id INTEGER PRIMARY KEY, year INTEGER NOT NULL, policy TEXT NOT NULL, policy_hash TEXT NOT NULL,
    subject TEXT NOT NULL, subject_id TEXT NOT NULL, uscc TEXT NOT NULL,
    result TEXT NOT NULL CHECK (result IN ('eligible', 'pending', 'undetermined')), amount INTEGER NOT NULL, grant_text TEXT,
    run_id INTEGER NOT NULL REFERENCES award_runs (id), status TEXT NOT NULL DEFAULT 'computed'
    CHECK (status IN ('computed', 'reviewed', 'approved', 'paid', 'rejected')), reason TEXT, updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL, UNIQUE (year, policy, subject, subject_id));
  INSERT INTO awards SELECT * FROM old; DROP TABLE old;
  CREATE INDEX awards_policy_year ON awards (policy, year); CREATE INDEX awards_uscc ON awards (uscc);
  DROP TABLE key_enterprises; DROP INDEX events_chain; ALTER TABLE events DROP COLUMN chain;
  ALTER TABLE chains DROP COLUMN article_fields; ALTER TABLE enterprises DROP COLUMN above_scale_entry_year;
  ALTER TABLE persons DROP COLUMN name; ALTER TABLE persons DROP COLUMN approved_award_multiple;
  ALTER TABLE projects DROP COLUMN approved_award_rate;
  DROP INDEX enterprises_by_founded; DROP INDEX enterprises_by_name; DROP INDEX enterprises_by_division_founded;
  DROP INDEX enterprises_by_division_name; DROP INDEX indicators_by_year_output_value;
  CREATE INDEX enterprises_division ON enterprises (division); CREATE INDEX indicators_year ON indicators (year);
  DROP TABLE calendar_days; DROP TABLE calendar_years; DROP TABLE master_decisions; ALTER TABLE accounts DROP COLUMN lang;
  DROP TRIGGER indicator_packs_inserted; DROP TRIGGER indicator_packs_updated; DROP TRIGGER indicator_packs_deleted;
  DROP TABLE indicator_packs;
  PRAGMA user_version = 5; COMMIT;"
ledger_rows="SELECT group_concat(id || ':' || status || ':' || amount, ' ') FROM (SELECT * FROM awards ORDER BY id)"
before=$(sqlite3 "$T/v5.db" "$ledger_rows")
expect_exit 0 "a version-5 ledger is upgraded by the next recording" "$LZ" awards "$T/v5.db" --year 2022 --record --format csv
expect_eq "$(sqlite3 "$T/v5.db" "$ledger_rows")" "$before" "the upgrade keeps every award, its status and amount"
expect_eq "$(sqlite3 "$T/v5.db" "SELECT sql LIKE '% IN (%' FROM sqlite_master WHERE name = 'awards'")" "0" "the rebuilt table checks without IN lists"
expect_eq "$(sqlite3 "$T/v5.db" "PRAGMA user_version; SELECT count(*) FROM sqlite_master WHERE name = 'key_enterprises'")" "$(printf '%s\n1' "$("$LZ" init "$T/latest.db" > /dev/null && sqlite3 "$T/latest.db" 'PRAGMA user_version')")" "the upgrade reaches the latest version, with the key-enterprise directory of version 8"
expect_eq "$(sqlite3 "$T/v5.db" "SELECT count(*) FROM pragma_table_info('events') WHERE name = 'chain'")" "1" "and the chain of an event"
run sqlite3 "$T/v5.db" "UPDATE awards SET status = 'lost' WHERE id = $id"
expect_in "$ERR" "CHECK constraint failed" "the rebuilt table still refuses an unknown status"

# ---- the key-enterprise directory decides the talent-studio awards (在重點企業) ----
"$LZ" demo "$T/ref.db" --enterprises 100 > /dev/null || fail "the reference data loads"
read -r M MCHAIN <<< "$(sqlite3 -separator ' ' "$T/ref.db" "SELECT uscc, chain FROM memberships WHERE role = 'member' AND uscc NOT IN (SELECT uscc FROM events) ORDER BY uscc LIMIT 1")"
printf 'id,uscc,date,kind\nSTUDIO1,%s,2021-05-01,talent_studio_established\n' "$M" > "$T/studio.csv"
"$LZ" import "$T/ref.db" events "$T/studio.csv" > /dev/null || fail "a studio event loads"
run "$LZ" awards "$T/ref.db" --year 2022 --policy talent.studio --format csv --all
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts (names: exports.sh)
expect_in "$OUT" "talent.studio,event,STUDIO1,$M,not_eligible,0.00" "a studio in an enterprise off the directory is not paid"
printf 'uscc,chain,since,decided_by,document\n%s,%s,2022-01-01,市工信局,\n' "$M" "$MCHAIN" > "$T/key.csv"
expect_exit 0 "the directory imports like every table" "$LZ" import "$T/ref.db" key_enterprises "$T/key.csv"
run "$LZ" awards "$T/ref.db" --year 2022 --policy talent.studio --format csv --all
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts (names: exports.sh)
expect_in "$OUT" "talent.studio,event,STUDIO1,$M,not_eligible,0.00" "put on the directory after the studio's year: still not paid"
printf 'uscc,chain,since,decided_by,document\n%s,%s,2021-12-31,市工信局,示例文号\n' "$M" "$MCHAIN" > "$T/key.csv"
"$LZ" import "$T/ref.db" key_enterprises "$T/key.csv" > /dev/null || fail "the directory row is updated"
run "$LZ" awards "$T/ref.db" --year 2022 --format csv
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts (names: exports.sh)
expect_in "$OUT" "talent.studio,event,STUDIO1,$M,eligible,100000.00" "on the directory in the studio's year: construction funds paid"
expect_in "$OUT" "talent.studio_leader,event,STUDIO1,$M,eligible,300000.00" "and the leader's award"
run "$LZ" explain "$T/ref.db" --year 2022 --enterprise "$M" --policy talent.studio
expect_in "$OUT" "所属企业的列入重点企业名录" "a related enterprise's fact in words, not enterprise."
run "$LZ" export "$T/ref.db" key_enterprises
OUT=$(printf '%s\n' "$OUT" | without_names)
expect_in "$OUT" "$M,$MCHAIN,2021-12-31,市工信局,示例文号" "the directory exports like every table"
expect_exit 0 "check passes with the directory" "$LZ" check "$T/ref.db"
cp "$T/ref.db" "$T/disagree.db"
sqlite3 "$T/disagree.db" "UPDATE events SET chain = NULL WHERE id = 'SX0000001-01';
  UPDATE memberships SET role = 'backbone' WHERE uscc = (SELECT uscc FROM events WHERE id = 'SX0000002-01');
  UPDATE memberships SET role = 'chain_master' WHERE uscc = '$M'"
run "$LZ" check "$T/disagree.db"
expect_eq "$RC" "1" "check reports designations and memberships that disagree"
expect_in "$OUT$ERR" "SX0000001-01: chain: a chain_master_designated event names the chain it is for" "a designation without its chain"
expect_in "$OUT$ERR" "SX0000002-01: chain: chain_master_designated for NM-PETCHEM on 2021-05-18, but memberships give" "a designation the membership contradicts"
expect_in "$OUT$ERR" "role: chain_master without a chain_master_designated event for $MCHAIN" "a chain master never designated"

# ---- --years: each year sees the earlier ones (a chain master's 10,000,000 per enterprise) ----
printf 'id,uscc,date,kind,amount\nCM1,%s,2021-05-18,chain_master_designated,8000000.00\nCM2,%s,2022-06-30,chain_master_designated,5000000.00\n' "$M" "$M" > "$T/cm.csv"
"$LZ" import "$T/ref.db" events "$T/cm.csv" > /dev/null || fail "two designations load"
awards_before=$(sqlite3 "$T/ref.db" "SELECT count(*) FROM awards")
run "$LZ" awards "$T/ref.db" --years 2022-2023 --policy miit.chain_master --format csv
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts (names: exports.sh)
expect_in "$OUT" "2022,miit.chain_master,event,CM1,$M,eligible,8000000.00" "--years: the first designation in 2022"
expect_in "$OUT" "2023,miit.chain_master,event,CM2,$M,eligible,2000000.00" "--years: 2023 sees 2022's 8,000,000 and pays what is left of the 10,000,000"
expect_eq "$(printf '%s\n' "$OUT" | grep -c '^year,')" "1" "--years: one CSV header for all years"
expect_eq "$(sqlite3 "$T/ref.db" "SELECT count(*) FROM awards")" "$awards_before" "--years without --record writes nothing"
run "$LZ" awards "$T/ref.db" --year 2023 --policy miit.chain_master --format csv
OUT=$(printf '%s\n' "$OUT" | without_names) # the codes and amounts (names: exports.sh)
expect_in "$OUT" "miit.chain_master,event,CM2,$M,eligible,5000000.00" "one year alone sees only the ledger"
expect_exit 0 "--years with --record records each year before the next" "$LZ" awards "$T/ref.db" --years 2022-2023 --policy miit.chain_master --record --format csv
expect_eq "$(sqlite3 "$T/ref.db" "SELECT group_concat(year || ':' || amount, ' ') FROM (SELECT * FROM awards WHERE subject_id IN ('CM1', 'CM2') ORDER BY year)")" "2022:800000000 2023:200000000" "and the ledger holds both years"
run "$LZ" awards "$T/ref.db" --years 2022-2023 --policy miit.chain_master --format json
expect_eq "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print([d["year"] for d in json.load(sys.stdin)])')" "[2022, 2023]" "--years JSON is an array of the years"
expect_exit 2 "--years refuses a reversed range" "$LZ" awards "$T/ref.db" --years 2023-2022

# ---- the reference data through awards: the totals move as the article's conditions say ----
"$LZ" demo "$T/refrun.db" --enterprises 100 > /dev/null || fail "a fresh reference data set"
run "$LZ" awards "$T/refrun.db" --years 2021-2024 --format json --all
printf '%s' "$OUT" > "$T/refrun.json"
checked=$(python3 - "$T/refrun.json" "$T/refrun.db" << 'PY'
import json, sqlite3, sys
years = {d["year"]: d for d in json.load(open(sys.argv[1]))}
db = sqlite3.connect(sys.argv[2])
def total(y, p): return years[y]["totals"]["policy"].get(p)
def results(p, status="eligible"):
    return [(y, r) for y, d in years.items() for r in d["results"] if r["policy"] == p and r["status"] == status]
problems = []
if total(2022, "miit.chain_master") != "37500000.00":
    problems.append("the first batch (18 May 2021) is decided in 2022: %s" % total(2022, "miit.chain_master"))
if total(2024, "tech.platform") is not None:
    problems.append("the provincially recognised offshore institution is paid: %s" % total(2024, "tech.platform"))
if total(2022, "miit.software") != "500000.00":
    problems.append("--years: 2022 sees 2021's software payments: %s" % total(2022, "miit.software"))
for y, r in results("miit.tech_upgrade"):
    kind = db.execute("SELECT kind FROM projects WHERE id = ?", (r["subject_id"],)).fetchone()[0]
    if kind != "tech_upgrade": problems.append("%d: %s paid as a technical upgrade" % (y, kind))
if not any(r["explanation"].find("技术改造项目") >= 0 for y, r in results("miit.tech_upgrade", "not_eligible")):
    problems.append("no new-build or expansion project refused as not a technical upgrade")
for y, r in results("miit.above_scale"):
    code = db.execute("SELECT industry_code FROM enterprises WHERE uscc = ?", (r["uscc"],)).fetchone()[0]
    if not code or not 6 <= int(code[:2]) <= 46: problems.append("%d: industry %s paid as 升規" % (y, code))
for y, r in results("talent.studio"):
    key = db.execute("SELECT count(*) FROM memberships WHERE uscc = ? AND role IN ('chain_master', 'reserve_master', 'backbone')"
                     " UNION ALL SELECT count(*) FROM key_enterprises WHERE uscc = ?", (r["uscc"], r["uscc"])).fetchall()
    if not any(n for (n,) in key): problems.append("%d: a studio outside the key-enterprise directory is paid" % y)
print("; ".join(problems) or "ok")
PY
)
expect_eq "$checked" "ok" "the reference data's 2021-2024 awards follow the article's conditions"

# ---- explain: an unknown or mistyped USCC, or a name, is an error with the nearest matches ----
read -r KU KN <<< "$(sqlite3 -separator ' ' "$T/refrun.db" "SELECT uscc, name FROM enterprises ORDER BY uscc LIMIT 1")"
run "$LZ" explain "$T/refrun.db" --year 2022 --enterprise "${KU:0:17}Z"
expect_eq "$RC" "1" "explain refuses a mistyped USCC"
expect_in "$ERR" "no enterprise with the USCC '${KU:0:17}Z'; nearest: $KU $KN" "and names the nearest enterprise"
run "$LZ" explain "$T/refrun.db" --year 2022 --enterprise "$KN"
expect_eq "$RC" "1" "explain refuses a name in place of the USCC"
expect_in "$ERR" "nearest: $KU $KN" "and gives the USCC of the enterprise so named"

# ---- XLSX ----
expect_exit 0 "awards as XLSX" "$LZ" awards "$T/db" --year 2022 --format xlsx -o "$T/awards.xlsx"
expect_in "$(unzip -l "$T/awards.xlsx" 2> /dev/null)" "xl/worksheets/sheet1.xml" "the XLSX file holds a worksheet"
finish
