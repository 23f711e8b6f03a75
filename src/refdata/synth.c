/*
 * synth — the reference data set generator (see synth.h).
 *
 * Layout of this file: the hand-placed cases (tables), the enterprise profile (everything about
 * enterprise i derived from the seed), the row builder, then one generator per table. A table's
 * generator either walks the fixed Jiangmen tables or walks enterprise indices and re-derives each
 * profile; tables that must agree (events and the platforms they create, an enterprise's listing
 * board and its `listed` event) call the same functions on the same prng streams.
 *
 * All money is integer fen; ratios are per mille, applied with integer rounding half-up.
 */
#include "refdata/synth.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/money.h"
#include "core/uscc.h"
#include "refdata/jiangmen.h"
#include "refdata/prng.h"

#define NYEARS (SYNTH_LAST_YEAR - SYNTH_FIRST_YEAR + 1)
#define YUAN(x) ((int64_t)(x)*100)
#define ABOVE_SCALE_FEN YUAN(20000000) /* main business revenue of 20 million CNY */
#define NONE (-1)                      /* a money field that is unknown (empty) */
#define DERIVE 0                       /* a case field left to the profile */
#define MAX_FEEDERS 8
#define MAX_SUPPLIERS 4
#define OUTSIDE_PULL 6              /* an outside supplier is picked as often as this many local ones */
#define OUTSIDE_PLACED_PERMILLE 750 /* outside suppliers placed on the chain map */

/* prng stream tags: one per kind of decision, so tables re-derive the same values. */
enum {
    S_PROFILE = 1,
    S_INDICATORS,
    S_SUPPLY,
    S_PROJECTS,
    S_PERSONS,
    S_EVENTS,
    S_LISTING,
    S_PLATFORMS,
    S_APPEALS,
    S_TARGETS,
    S_ORG,
    S_KEY_DIRECTORY,
    S_MAP
};

/* ==== hand-placed cases ======================================================================= */

enum featured_id {
    /* the first batch of chain masters, chosen at the conference of 18 May 2021 */
    F_M_CATHODE,
    F_M_RESIN,
    F_M_KITCHEN,
    F_M_MOTO,
    F_M_RAIL,
    F_M_KITCHENWARE,
    F_M_BEVERAGE,
    /* reserve masters; two are promoted later */
    F_R_CATHODE,
    F_R_PCB,
    F_R_CHASSIS,
    F_R_TCM,
    F_R_PAPER,
    F_R_GARMENTS,
    F_R_SPECIAL,
    F_R_INTEGRATION,
    /* miit.above_scale: first year above size and value-added growth at the 10% boundary */
    F_ABOVE_2019,
    F_ABOVE_2020_EXACT,
    F_ABOVE_2020_TIERS,
    F_ABOVE_2021_EXACT,
    F_ABOVE_2021_TIER2,
    F_ABOVE_2022,
    F_ABOVE_2023,
    F_ABOVE_2024,
    F_ABOVE_DIP,
    F_ABOVE_MISSING,
    /* miit.tech_upgrade */
    F_TECH_A,
    F_TECH_B,
    F_TECH_C,
    F_TECH_D,
    /* talent.executive_iit */
    F_EXEC_EXACT,
    F_EXEC_SHORT,
    F_EXEC_UNKNOWN,
    /* miit.software */
    F_SOFT_TIERS,
    F_SOFT_JUMP,
    F_SOFT_BELOW,
    /* talent.* */
    F_STUDIO,
    F_TALENT_PROJECT,
    F_TALENT_PROJECT_CAP,
    F_INSTITUTE,
    /* tech.* */
    F_NATIONAL_CENTER,
    F_PROVINCIAL_CENTER,
    F_PROVINCIAL_PENDING,
    F_KEY_LAB,
    F_RD_INSTITUTIONS,
    F_PRIZE,
    F_PRIZE_CAP,
    F_POOL_A,
    F_POOL_B,
    F_POOL_C,
    F_POOL_D,
    /* finance.listing and finance.fund */
    F_LIST_STAR,
    F_LIST_MAIN,
    F_LIST_ONGOING,
    F_LIST_CHINEXT,
    F_LIST_HK,
    F_LIST_BSE,
    F_FUND_A,
    F_FUND_B,
    F_COUNT
};
_Static_assert(F_COUNT == SYNTH_FEATURED, "SYNTH_FEATURED must count the hand-placed enterprises");

typedef struct featured {
    const char *chain, *segment; /* NULL: not placed on a chain */
    const char *role;            /* membership role (current) */
    int size;                    /* size class: revenue about 2^size x 2 million CNY */
    const char *word;            /* name word when not on a chain */
    const char *industry;        /* industry class when not on a chain */
} featured;

static const featured featured_list[F_COUNT] = {
    [F_M_CATHODE] = {"NM-BATTERY", "cathode", "chain_master", 12, NULL, NULL},
    [F_M_RESIN] = {"NM-PETCHEM", "resin", "chain_master", 12, NULL, NULL},
    [F_M_KITCHEN] = {"HA-APPLIANCE", "kitchen", "chain_master", 12, NULL, NULL},
    [F_M_MOTO] = {"MC-MOTO", "moto_assembly", "chain_master", 12, NULL, NULL},
    [F_M_RAIL] = {"EQ-RAIL", "rail_vehicle", "chain_master", 11, NULL, NULL},
    [F_M_KITCHENWARE] = {"MP-STEEL", "kitchenware", "chain_master", 11, NULL, NULL},
    [F_M_BEVERAGE] = {"BH-FOOD", "beverage", "chain_master", 11, NULL, NULL},
    [F_R_CATHODE] = {"NM-BATTERY", "cathode", "chain_master", 10, NULL, NULL},
    [F_R_PCB] = {"IT-ELEC", "pcb", "reserve_master", 10, NULL, NULL},
    [F_R_CHASSIS] = {"EV-PARTS", "chassis", "chain_master", 10, NULL, NULL},
    [F_R_TCM] = {"BH-PHARMA", "tcm", "reserve_master", 10, NULL, NULL},
    [F_R_PAPER] = {"PP-PAPER", "paper", "reserve_master", 10, NULL, NULL},
    [F_R_GARMENTS] = {"TX-APPAREL", "garments", "reserve_master", 9, NULL, NULL},
    [F_R_SPECIAL] = {"EQ-SMART", "special_equipment", "reserve_master", 10, NULL, NULL},
    [F_R_INTEGRATION] = {"IT-SOFT", "integration", "reserve_master", 9, NULL, NULL},
    [F_ABOVE_2019] = {"NM-BATTERY", "electrolyte", "member", 3, NULL, NULL},
    [F_ABOVE_2020_EXACT] = {"MP-STEEL", "valves", "member", 3, NULL, NULL},
    [F_ABOVE_2020_TIERS] = {"HA-APPLIANCE", "small_appliance", "member", 3, NULL, NULL},
    [F_ABOVE_2021_EXACT] = {"TX-APPAREL", "knitwear", "member", 3, NULL, NULL},
    [F_ABOVE_2021_TIER2] = {"PP-PAPER", "printing", "member", 3, NULL, NULL},
    [F_ABOVE_2022] = {"NM-PETCHEM", "plastic_products", "member", 3, NULL, NULL},
    [F_ABOVE_2023] = {"EQ-SMART", "precision_parts", "member", 3, NULL, NULL},
    [F_ABOVE_2024] = {"EV-PARTS", "ev_interior", "member", 3, NULL, NULL},
    [F_ABOVE_DIP] = {"MC-MOTO", "frame", "member", 3, NULL, NULL},
    [F_ABOVE_MISSING] = {"BH-FOOD", "processed_food", "member", 3, NULL, NULL},
    [F_TECH_A] = {"NM-BATTERY", "cathode", "backbone", 8, NULL, NULL},
    [F_TECH_B] = {"MP-STEEL", "sanitary", "backbone", 8, NULL, NULL},
    [F_TECH_C] = {"HA-APPLIANCE", "small_appliance", "member", 6, NULL, NULL},
    [F_TECH_D] = {"EQ-SMART", "cnc", "backbone", 8, NULL, NULL},
    [F_EXEC_EXACT] = {"NM-BATTERY", "pack", "backbone", 10, NULL, NULL},
    [F_EXEC_SHORT] = {"EV-PARTS", "e_drive", "backbone", 10, NULL, NULL},
    [F_EXEC_UNKNOWN] = {"IT-ELEC", "display", "backbone", 9, NULL, NULL},
    [F_SOFT_TIERS] = {"IT-SOFT", "app_software", "backbone", 6, NULL, NULL},
    [F_SOFT_JUMP] = {"IT-SOFT", "industrial_software", "backbone", 6, NULL, NULL},
    [F_SOFT_BELOW] = {"IT-SOFT", "it_services", "backbone", 6, NULL, NULL},
    [F_STUDIO] = {"NM-BATTERY", "bms", "backbone", 8, NULL, NULL},
    [F_TALENT_PROJECT] = {"NM-BATTERY", "anode", "member", 7, NULL, NULL},
    [F_TALENT_PROJECT_CAP] = {"NM-BATTERY", "separator", "member", 7, NULL, NULL},
    [F_INSTITUTE] = {NULL, NULL, NULL, 5, "新材料产业", "7320"},
    [F_NATIONAL_CENTER] = {"NM-PETCHEM", "fine_chem", "backbone", 11, NULL, NULL},
    [F_PROVINCIAL_CENTER] = {"HA-APPLIANCE", "kitchen", "backbone", 10, NULL, NULL},
    [F_PROVINCIAL_PENDING] = {"EQ-SMART", "robots", "backbone", 9, NULL, NULL},
    [F_KEY_LAB] = {"BH-PHARMA", "bio_drug", "backbone", 9, NULL, NULL},
    [F_RD_INSTITUTIONS] = {"IT-ELEC", "optoelectronics", "backbone", 9, NULL, NULL},
    [F_PRIZE] = {"IT-SOFT", "industrial_software", "member", 4, NULL, NULL},
    [F_PRIZE_CAP] = {"BH-PHARMA", "device", "member", 5, NULL, NULL},
    [F_POOL_A] = {"NM-BATTERY", "storage", "member", 6, NULL, NULL},
    [F_POOL_B] = {"IT-ELEC", "iot", "member", 5, NULL, NULL},
    [F_POOL_C] = {"EQ-SMART", "robots", "member", 6, NULL, NULL},
    [F_POOL_D] = {"BH-PHARMA", "device", "member", 6, NULL, NULL},
    [F_LIST_STAR] = {"NM-BATTERY", "cathode", "backbone", 10, NULL, NULL},
    [F_LIST_MAIN] = {"MP-STEEL", "sanitary", "backbone", 10, NULL, NULL},
    [F_LIST_ONGOING] = {"HA-APPLIANCE", "small_appliance", "backbone", 9, NULL, NULL},
    [F_LIST_CHINEXT] = {"IT-SOFT", "app_software", "backbone", 9, NULL, NULL},
    [F_LIST_HK] = {"BH-FOOD", "health_food", "backbone", 10, NULL, NULL},
    [F_LIST_BSE] = {"EQ-SMART", "precision_parts", "backbone", 8, NULL, NULL},
    [F_FUND_A] = {NULL, NULL, NULL, 4, "产业投资基金管理", "6760"},
    [F_FUND_B] = {NULL, NULL, NULL, 4, "股权投资基金管理", "6760"},
};

/* Indicators fixed by hand, 2019..2024 in fen. revenue: NONE = no row that year (not yet founded),
 * DERIVE = from the profile. value_added, new fixed-asset investment: DERIVE, or NONE = unknown. */
typedef struct indicator_case {
    int ent;
    int64_t revenue[NYEARS], value_added[NYEARS], nfai[NYEARS];
} indicator_case;

#define D DERIVE
static const indicator_case indicator_cases[] = {
    {F_ABOVE_2019, {YUAN(26000000), YUAN(28000000), YUAN(30000000), YUAN(33000000), YUAN(35000000), YUAN(36000000)}, {D}, {D}},
    /* 2021 value added exactly 1.10 x 2020: no tier 2 */
    {F_ABOVE_2020_EXACT,
     {YUAN(15000000), YUAN(24000000), YUAN(27000000), YUAN(29000000), YUAN(31000000), YUAN(33000000)},
     {D, YUAN(6000000), YUAN(6600000), YUAN(7000000), D, D},
     {D}},
    /* 1.1001 x then +12%: all three tiers */
    {F_ABOVE_2020_TIERS,
     {YUAN(12000000), YUAN(22000000), YUAN(25000000), YUAN(29000000), YUAN(32000000), YUAN(35000000)},
     {D, YUAN(5000000), YUAN(5500500), YUAN(6160560), D, D},
     {D}},
    /* the example: first above size in 2021 at exactly 20,000,000.00; 2022 = 1.10 x 2021 */
    {F_ABOVE_2021_EXACT,
     {YUAN(9000000), YUAN(14000000), YUAN(20000000), YUAN(23000000), YUAN(26000000), YUAN(28000000)},
     {D, D, YUAN(5000000), YUAN(5500000), D, D},
     {D}},
    /* 1.1001 x (tier 2 in 2023), then exactly 1.10 x (no tier 3 in 2024) */
    {F_ABOVE_2021_TIER2,
     {YUAN(8000000), YUAN(16000000), YUAN(21000000), YUAN(25000000), YUAN(28000000), YUAN(30000000)},
     {D, D, YUAN(4000000), YUAN(4400400), YUAN(4840440), D},
     {D}},
    /* one fen below the line in 2021, exactly on it in 2022 */
    {F_ABOVE_2022,
     {YUAN(10000000), YUAN(12000000), YUAN(20000000) - 1, YUAN(20000000), YUAN(23000000), YUAN(26000000)},
     {D, D, D, YUAN(5000000), YUAN(5600000), YUAN(6300000)},
     {D}},
    /* tier 1 would fall in 2024, outside the policy's 2021-2023 window */
    {F_ABOVE_2023,
     {YUAN(5000000), YUAN(7000000), YUAN(11000000), YUAN(16000000), YUAN(22000000), YUAN(26000000)},
     {D, D, D, D, YUAN(5500000), YUAN(6050001)},
     {D}},
    {F_ABOVE_2024, {NONE, NONE, YUAN(3000000), YUAN(9000000), YUAN(15000000), YUAN(21000000)}, {D}, {D}},
    /* above size in 2020, below in 2021, above again: the first year is still 2020 */
    {F_ABOVE_DIP, {YUAN(18000000), YUAN(21000000), YUAN(19000000), YUAN(23000000), YUAN(25000000), YUAN(27000000)}, {D}, {D}},
    /* value added of the second year unknown: not eligible for tier 2, with the reason */
    {F_ABOVE_MISSING,
     {YUAN(11000000), YUAN(14000000), YUAN(22000000), YUAN(25000000), YUAN(27000000), YUAN(30000000)},
     {D, D, YUAN(5500000), NONE, D, D},
     {D}},
    /* new fixed-asset investment at the 100,000,000 line of talent.executive_iit */
    {F_EXEC_EXACT, {D, D, D, D, D, D}, {D}, {D, D, D, D, YUAN(100000000), D}},
    {F_EXEC_SHORT, {D, D, D, D, D, D}, {D}, {D, D, D, D, YUAN(100000000) - 1, D}},
    {F_EXEC_UNKNOWN, {D, D, D, D, D, D}, {D}, {D, D, D, YUAN(150000000), NONE, D}},
    /* miit.software tiers: 100 million (one fen below, then exactly), 500 million, 1 billion */
    {F_SOFT_TIERS,
     {YUAN(60000000), YUAN(80000000), YUAN(100000000) - 1, YUAN(100000000), YUAN(520000000), YUAN(1050000000)},
     {D},
     {D}},
    {F_SOFT_JUMP, {YUAN(40000000), YUAN(60000000), YUAN(90000000), YUAN(1200000000), YUAN(1250000000), YUAN(1300000000)}, {D}, {D}},
    {F_SOFT_BELOW,
     {YUAN(150000000), YUAN(220000000), YUAN(300000000), YUAN(420000000), YUAN(500000000) - 1, YUAN(510000000)},
     {D},
     {D}},
};
#undef D

typedef struct person_case {
    int ent, year;
    const char *role;
    int64_t wage, iit; /* NONE = unknown */
} person_case;

static const person_case person_cases[] = {
    {F_EXEC_EXACT, 2023, "executive", YUAN(300000), YUAN(60000)},      /* not strictly above 300,000 */
    {F_EXEC_EXACT, 2023, "executive", YUAN(300000) + 1, YUAN(100000)}, /* -> 200,000.00 at a 40% local share */
    {F_EXEC_EXACT, 2023, "executive", YUAN(2000000), YUAN(700000)},    /* 1,400,000 capped at 1,000,000 */
    {F_EXEC_EXACT, 2023, "backbone", YUAN(450000), YUAN(80000)},
    {F_EXEC_SHORT, 2023, "executive", YUAN(800000), YUAN(200000)}, /* employer 0.01 short */
    {F_EXEC_UNKNOWN, 2022, "executive", YUAN(500000), YUAN(110000)},
    {F_EXEC_UNKNOWN, 2022, "backbone", NONE, YUAN(30000)},           /* wage unknown */
    {F_EXEC_UNKNOWN, 2023, "executive", YUAN(520000), YUAN(115000)}, /* employer's investment unknown */
};

typedef struct project_case {
    int ent;
    const char *kind, *stage, *start, *planned, *completed;
    int64_t total, fixed, equipment, approved; /* approved: NONE = not yet approved */
    int plot_ratio_x100;                       /* 0 = none */
    bool key, new_investment;
} project_case;

static const project_case project_cases[] = {
    /* the examples: capped at 3,000,000, and 10% of 12,345,678.90 */
    {F_TECH_A, "tech_upgrade", "completed", "2020-10-01", "2021-09-30", "2021-09-30", YUAN(6000000), YUAN(5000000), YUAN(2000000),
     YUAN(40000000), 0, false, false},
    {F_TECH_A, "tech_upgrade", "producing", "2020-12-01", "2021-12-31", "2021-11-15", YUAN(25000000), YUAN(20000000),
     YUAN(15000000), 1234567890, 0, true, false},
    {F_TECH_A, "tech_upgrade", "completed", "2021-06-01", "2022-06-30", "2022-05-20", YUAN(5500000), YUAN(5000000) - 1,
     YUAN(2000000), YUAN(2000000), 0, false, false},
    {F_TECH_B, "tech_upgrade", "completed", "2021-09-01", "2022-08-31", "2022-08-31", YUAN(5200000), YUAN(5000000),
     YUAN(2000000) - 1, YUAN(2000000) - 1, 0, false, false},
    {F_TECH_B, "tech_upgrade", "completed", "2018-06-01", "2019-06-30", "2019-06-30", YUAN(9000000), YUAN(8000000), YUAN(3000000),
     YUAN(2800000), 0, false, false},
    {F_TECH_B, "tech_upgrade", "producing", "2019-07-01", "2020-06-30", "2020-06-30", YUAN(7000000), YUAN(6000000), YUAN(2500000),
     YUAN(2500000), 0, false, false},
    /* "equipment investment 1,800,000.00 < 2,000,000.00 required, 200,000.00 short" */
    {F_TECH_B, "tech_upgrade", "completed", "2019-01-15", "2019-12-31", "2019-11-30", YUAN(5600000), YUAN(5200000), YUAN(1800000),
     YUAN(1800000), 0, false, false},
    {F_TECH_C, "tech_upgrade", "completed", "2022-03-01", "2023-03-31", "2023-03-31", YUAN(35000000), YUAN(30000000),
     YUAN(25000000), YUAN(24000000), 0, true, false},
    {F_TECH_C, "tech_upgrade", "completed", "2023-05-01", "2024-04-30", "2024-04-30", YUAN(5100000), YUAN(5000000) + 1,
     YUAN(2000000) + 1, YUAN(2000000) + 1, 0, false, false},
    {F_TECH_C, "tech_upgrade", "completed", "2022-09-01", "2023-08-31", "2023-08-31", YUAN(8000000), YUAN(7000000), YUAN(4000000),
     NONE, 0, false, false},
    {F_TECH_D, "tech_upgrade", "construction", "2024-03-01", "2025-06-30", NULL, YUAN(60000000), YUAN(50000000), YUAN(30000000),
     NONE, 0, true, false},
    {F_TECH_D, "tech_upgrade", "producing", "2021-03-01", "2022-02-28", "2022-02-28", YUAN(40000000), YUAN(38000000),
     YUAN(36000000), YUAN(35000000), 0, true, false},
    /* 10% of 12,345,678.95 is 1,234,567.895: rounds half-up to 1,234,567.90 */
    {F_TECH_D, "tech_upgrade", "completed", "2023-01-10", "2023-12-31", "2023-12-20", YUAN(15000000), YUAN(14000000),
     YUAN(13000000), 1234567895, 0, false, false},
    /* the major new projects behind the executives' employers; plot ratios at the land rules' lines */
    {F_EXEC_EXACT, "new", "producing", "2022-01-10", "2023-12-31", "2023-12-30", YUAN(300000000), YUAN(250000000), YUAN(120000000),
     NONE, 350, true, true},
    {F_EXEC_SHORT, "expansion", "construction", "2023-02-01", "2025-12-31", NULL, YUAN(180000000), YUAN(150000000), YUAN(60000000),
     NONE, 160, true, true},
    {F_M_CATHODE, "expansion", "land", NULL, "2026-06-30", NULL, YUAN(800000000), YUAN(650000000), YUAN(400000000), NONE, 360, true,
     false},
};

typedef struct event_case {
    int ent;
    const char *kind, *date;
    int64_t amount; /* NONE = no approved amount yet */
    const char *detail, *flags;
} event_case;

#define FIRST_BATCH "2021-05-18"
static const event_case event_cases[] = {
    {F_M_CATHODE, "chain_master_designated", FIRST_BATCH, YUAN(10000000), "第一批链主企业", NULL},
    {F_M_RESIN, "chain_master_designated", FIRST_BATCH, YUAN(8000000), "第一批链主企业", NULL},
    {F_M_KITCHEN, "chain_master_designated", FIRST_BATCH, YUAN(12000000), "第一批链主企业（核定额超过上限）", NULL},
    {F_M_MOTO, "chain_master_designated", FIRST_BATCH, NONE, "第一批链主企业（待评审核定）", NULL},
    {F_M_RAIL, "chain_master_designated", FIRST_BATCH, YUAN(6500000), "第一批链主企业", NULL},
    {F_M_KITCHENWARE, "chain_master_designated", FIRST_BATCH, NONE, "第一批链主企业（待评审核定）", NULL},
    {F_M_BEVERAGE, "chain_master_designated", FIRST_BATCH, YUAN(3000000), "第一批链主企业", NULL},
    {F_R_CATHODE, "reserve_master_designated", FIRST_BATCH, NONE, "第一批后备链主企业", NULL},
    {F_R_CATHODE, "chain_master_designated", "2023-06-30", YUAN(5000000), "第二批链主企业", NULL},
    {F_R_PCB, "reserve_master_designated", FIRST_BATCH, NONE, "第一批后备链主企业", NULL},
    {F_R_CHASSIS, "reserve_master_designated", FIRST_BATCH, NONE, "第一批后备链主企业", NULL},
    {F_R_CHASSIS, "chain_master_designated", "2024-05-20", NONE, "第三批链主企业（待评审核定）", NULL},
    {F_R_TCM, "reserve_master_designated", FIRST_BATCH, NONE, "第一批后备链主企业", NULL},
    {F_R_PAPER, "reserve_master_designated", FIRST_BATCH, NONE, "第一批后备链主企业", NULL},
    {F_R_GARMENTS, "reserve_master_designated", FIRST_BATCH, NONE, "第一批后备链主企业", NULL},
    {F_R_SPECIAL, "reserve_master_designated", FIRST_BATCH, NONE, "第一批后备链主企业", NULL},
    {F_R_INTEGRATION, "reserve_master_designated", FIRST_BATCH, NONE, "第一批后备链主企业", NULL},
    {F_STUDIO, "talent_studio_established", "2022-03-15", NONE, "示例人才工作室（带头人认定为江门市产业拔尖人才）", NULL},
    {F_TECH_A, "talent_studio_established", "2023-04-10", NONE, "示例人才工作室", NULL},
    {F_TALENT_PROJECT, "talent_project_landed", "2022-08-08", YUAN(80000000), "高端人才带负极材料产业化项目落户", NULL},
    {F_TALENT_PROJECT_CAP, "talent_project_landed", "2023-09-01", YUAN(120000000), "高端人才带隔膜项目落户（核定额超过上限）",
     NULL},
    {F_INSTITUTE, "research_institute_established", "2021-10-10", YUAN(60000000), "示例大学江门新材料产业研究院启动资金", NULL},
    {F_INSTITUTE, "research_institute_operating", "2022-12-31", YUAN(8000000), "2022年度运营补贴", NULL},
    {F_INSTITUTE, "research_institute_operating", "2023-12-31", YUAN(12000000), "2023年度运营补贴（核定额超过上限）", NULL},
    {F_INSTITUTE, "research_institute_operating", "2024-12-31", NONE, "2024年度运营补贴（待核定）", NULL},
    {F_NATIONAL_CENTER, "national_innovation_center", "2022-11-20", YUAN(30000000), "国家技术创新中心（示例）", NULL},
    {F_PROVINCIAL_CENTER, "provincial_innovation_center", "2022-07-01", YUAN(10000000) + 1, "省技术创新中心（核定额超上限一分）",
     NULL},
    {F_PROVINCIAL_PENDING, "provincial_innovation_center", "2023-08-15", NONE, "省技术创新中心（待核定）", NULL},
    {F_KEY_LAB, "national_key_lab", "2021-12-01", NONE, "科技部认定重点实验室（示例）", NULL},
    {F_RD_INSTITUTIONS, "new_rd_institution", "2022-06-01", NONE, "科技部认定新型研发机构（示例）", "national"},
    /* a provincial recognition: not paid under the Ministry's amounts */
    {F_RD_INSTITUTIONS, "offshore_rd_institution", "2023-03-01", NONE, "省级认定离岸研发机构（示例）", "provincial"},
    {F_PRIZE, "competition_prize", "2022-10-15", YUAN(1000000), "创新创业大赛一等奖", NULL},
    {F_PRIZE_CAP, "competition_prize", "2023-10-20", YUAN(1500000), "创新创业大赛特等奖（核定额超过上限）", NULL},
    {F_PRIZE, "other", "2023-12-15", NONE, "获评省级专精特新中小企业", NULL},
    /* 2022 claims on the 30,000,000 cluster pool add up to 30,500,000: pro rata */
    {F_POOL_A, "cluster_pool_award", "2022-12-01", YUAN(8000000), "产业集群优胜企业", NULL},
    {F_POOL_B, "cluster_pool_award", "2022-12-01", YUAN(9000000), "产业集群创新团队", NULL},
    {F_POOL_C, "cluster_pool_award", "2022-12-01", YUAN(7500000), "产业集群优胜企业", NULL},
    {F_POOL_D, "cluster_pool_award", "2022-12-01", YUAN(6000000), "产业集群创新团队", NULL},
    {F_POOL_A, "transfer_pool_award", "2022-11-01", YUAN(4000000), "先进适用技术转化", NULL},
    {F_POOL_B, "transfer_pool_award", "2022-11-01", YUAN(5000000), "先进适用技术转化", NULL},
    {F_POOL_C, "transfer_pool_award", "2023-11-01", YUAN(4000000), "先进适用技术产业化", NULL},
    {F_POOL_D, "transfer_pool_award", "2024-11-01", YUAN(3000000), "先进适用技术产业化", NULL},
    {F_LIST_STAR, "shareholding_reform", "2020-06-01", NONE, NULL, NULL},
    {F_LIST_STAR, "listing_tutoring_filed", "2021-03-01", NONE, NULL, NULL},
    {F_LIST_STAR, "listing_application_accepted", "2022-04-01", NONE, NULL, NULL},
    {F_LIST_STAR, "listed", "2023-07-10", NONE, "star", NULL},
    {F_LIST_MAIN, "shareholding_reform", "2019-05-01", NONE, NULL, NULL},
    {F_LIST_MAIN, "listing_tutoring_filed", "2020-02-01", NONE, NULL, NULL},
    {F_LIST_MAIN, "listing_application_accepted", "2021-03-15", NONE, NULL, NULL},
    {F_LIST_MAIN, "listed", "2022-01-18", NONE, "main", NULL},
    {F_LIST_ONGOING, "shareholding_reform", "2023-06-01", NONE, NULL, NULL},
    {F_LIST_ONGOING, "listing_tutoring_filed", "2024-03-01", NONE, NULL, NULL},
    {F_LIST_CHINEXT, "shareholding_reform", "2020-08-01", NONE, NULL, NULL},
    {F_LIST_CHINEXT, "listing_tutoring_filed", "2021-06-01", NONE, NULL, NULL},
    {F_LIST_CHINEXT, "listing_application_accepted", "2023-02-01", NONE, NULL, NULL},
    {F_LIST_CHINEXT, "listed", "2024-04-12", NONE, "chinext", NULL},
    {F_LIST_HK, "listed", "2021-11-05", NONE, "hk", NULL},
    {F_LIST_BSE, "shareholding_reform", "2021-04-01", NONE, NULL, NULL},
    {F_LIST_BSE, "listing_tutoring_filed", "2022-03-01", NONE, NULL, NULL},
    {F_LIST_BSE, "listing_application_accepted", "2023-05-01", NONE, NULL, NULL},
    {F_LIST_BSE, "listed", "2023-12-20", NONE, "bse", NULL},
    /* funds: the amount is the paid-in capital; the flag earns the article's 5% uplift */
    {F_FUND_A, "fund_established", "2022-09-01", YUAN(300000000), "示例侨资产业投资基金（有限合伙）", "overseas_chinese_capital"},
    {F_FUND_A, "fund_established", "2024-03-01", YUAN(600000000), "示例侨资新材料产业基金（有限合伙）", "overseas_chinese_capital"},
    {F_FUND_B, "fund_established", "2023-05-01", YUAN(200000000), "示例股权投资基金（有限合伙）", NULL},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ==== bulk event and appeal vocabularies ======================================================= */

/* The generator draws its choices from the values the contract declares (model/tables.c), with
 * one weight per declared value, in declared order; synth_new checks that the counts agree. */

/* none, main, star, chinext, bse, hk, other: a listed enterprise is on one of the five exchanges */
static const int board_weights[] = {0, 40, 20, 25, 5, 10, 0};
/* new, expansion, tech_upgrade, other */
static const int project_kind_weights[] = {20, 30, 40, 10};
/* open, accepted, in_progress, escalated, resolved, closed: by whether the appeal is past due */
static const int appeal_past_weights[] = {1, 1, 2, 11, 52, 33}, appeal_current_weights[] = {30, 30, 35, 0, 5, 0};
_Static_assert(COUNT(appeal_past_weights) == COUNT(appeal_current_weights), "one weight per appeal status in both");
/* lead, contacted, visited, negotiating, signed, landed, lost */
static const int target_stage_weights[] = {25, 20, 15, 12, 10, 8, 10};

typedef struct appeal_category {
    const char *code, *department, *summary, *outcome;
    int deadline_working_days;
} appeal_category;

static const appeal_category appeal_categories[] = {
    {"land", "市自然资源局", "扩产项目需新增工业用地，申请协调供地与规划指标", "已纳入年度供地计划，采用先租后让方式供地", 20},
    {"finance", "市金融局", "流动资金紧张，申请对接银行授信与贴息", "已组织银企对接，获得授信", 10},
    {"talent", "市人才工作局", "引进高管与技术骨干，申请人才认定与住房保障", "已完成人才认定并安排人才住房", 15},
    {"permit", "市政务服务数据管理局", "新建厂房报建审批周期长，申请并联审批", "已开通并联审批，办结施工许可", 10},
    {"energy", "市发展和改革局", "新增产线用电负荷不足，申请增容", "已协调供电部门完成增容", 5},
    {"logistics", "市商务局", "出口通关与物流成本高，申请协调通关便利", "已纳入通关便利企业名单", 10},
    {"supply", "市工信局", "关键零部件依赖外地，申请对接本地配套企业", "已组织本地配套对接会，达成采购意向", 15},
    {"policy", "市工信局", "申请兑现技术改造与升规奖励", "已按政策核定并拨付", 10},
};

/* ==== the generator's state ==================================================================== */

typedef struct block {
    int64_t start, count;
} block;

struct synth {
    uint64_t seed;
    int64_t n;
    int32_t today; /* the appeals' day: SYNTH_AS_OF unless synth_params says otherwise */
    block *blocks; /* per segment: [2s] local enterprises, [2s+1] outside suppliers */
    int (*feeders)[MAX_FEEDERS];
    int *nfeeders;         /* segments that feed segment s */
    int feat_seg[F_COUNT]; /* segment of each hand-placed enterprise, -1 = none */
    int *chain_master;     /* per chain: a hand-placed chain master, -1 = none */
    int (*lead_div)[2];    /* per chain: indices into refdata_divisions */
    int *nlead_div;
    int64_t *target_weight; /* per segment: weight as the gap an investment target fills */
    int64_t target_weight_sum;
    int64_t ntargets;
    int64_t org_add; /* organisation-code permutation offset */
    /* the values of choice columns, as declared (see the weights above) */
    const char *const *boards, *const *project_kinds, *const *appeal_statuses, *const *target_stages;
};

/* The values a choice column declares, to draw from with one weight per value: LZ_EINTERNAL when
 * the generator's weights no longer match the declaration. */
static int declared_choice(const char *table_name, const char *column_name, size_t nweights, const char *const **values,
                           lz_err *err)
{
    const table *t = tables_find(table_name);
    int c = t ? table_column_index(t, column_name) : -1;
    size_t n = 0;
    while (c >= 0 && t->cols[c].values && t->cols[c].values[n])
        n++;
    if (n == 0 || n != nweights)
        return err_set(err, LZ_EINTERNAL, "%s.%s declares %zu values; the generator weighs %zu", table_name, column_name, n,
                       nweights);
    *values = t->cols[c].values;
    return 0;
}

static int declared_choices(synth *s, lz_err *err)
{
    int rc = declared_choice("enterprises", "listing_board", COUNT(board_weights), &s->boards, err);
    if (rc == 0)
        rc = declared_choice("projects", "kind", COUNT(project_kind_weights), &s->project_kinds, err);
    if (rc == 0)
        rc = declared_choice("appeals", "status", COUNT(appeal_past_weights), &s->appeal_statuses, err);
    if (rc == 0)
        rc = declared_choice("targets", "stage", COUNT(target_stage_weights), &s->target_stages, err);
    return rc;
}

static int parse_lead_divisions(synth *s, size_t c, lz_err *err)
{
    const char *p = refdata_chains[c].lead_divisions;
    s->nlead_div[c] = 0;
    while (*p && s->nlead_div[c] < 2) {
        size_t d;
        for (d = 0; d < refdata_ndivisions; d++)
            if (strncmp(p, refdata_divisions[d].code, 6) == 0)
                break;
        if (d == refdata_ndivisions)
            return err_set(err, LZ_EINTERNAL, "chain %s: lead division '%.6s' is not a division", refdata_chains[c].code, p);
        s->lead_div[c][s->nlead_div[c]++] = (int)d;
        p += 6 + (p[6] == ';');
    }
    return 0;
}

/* Splits the bulk index range among the segment blocks by largest remainder, so the block sizes
 * add up exactly and are the same on every platform. Local enterprises weigh four times outside
 * ones: outside suppliers are a small share of the city's list. */
static void layout_blocks(synth *s)
{
    size_t nb = 2 * refdata_nsegments;
    int64_t m = s->n - F_COUNT, total = 0, given = 0;
    int64_t *w = xcalloc(nb, sizeof *w), *rem = xcalloc(nb, sizeof *rem);
    for (size_t b = 0; b < nb; b++) {
        const refdata_segment *seg = &refdata_segments[b / 2];
        w[b] = b % 2 ? seg->outside_weight : 4 * seg->local_weight;
        total += w[b];
    }
    for (size_t b = 0; b < nb; b++) {
        s->blocks[b].count = m * w[b] / total;
        rem[b] = m * w[b] % total;
        given += s->blocks[b].count;
    }
    for (; given < m; given++) {
        size_t best = 0;
        for (size_t b = 1; b < nb; b++)
            if (rem[b] > rem[best])
                best = b;
        s->blocks[best].count++;
        rem[best] = -1;
    }
    int64_t start = F_COUNT;
    for (size_t b = 0; b < nb; b++) {
        s->blocks[b].start = start;
        start += s->blocks[b].count;
    }
    free(w);
    free(rem);
}

static void link_segments(synth *s)
{
    for (size_t to = 0; to < refdata_nsegments; to++) {
        s->nfeeders[to] = 0;
        for (size_t from = 0; from < refdata_nsegments; from++)
            if (from != to && s->nfeeders[to] < MAX_FEEDERS && refdata_segment_feeds((int)from, (int)to))
                s->feeders[to][s->nfeeders[to]++] = (int)from;
        /* investment targets go after the gaps: missing and thin links weigh more */
        const refdata_segment *seg = &refdata_segments[to];
        int gap = seg->local_weight == 0 ? 4 : seg->local_weight <= 2 ? 2 : 1;
        s->target_weight[to] = (int64_t)seg->outside_weight * gap;
        s->target_weight_sum += s->target_weight[to];
    }
}

static int place_featured(synth *s, lz_err *err)
{
    for (size_t c = 0; c < refdata_nchains; c++)
        s->chain_master[c] = -1;
    for (int f = 0; f < F_COUNT; f++) {
        const featured *fe = &featured_list[f];
        s->feat_seg[f] = -1;
        if (!fe->chain)
            continue;
        int c = refdata_chain_index(fe->chain);
        int seg = c < 0 ? -1 : refdata_segment_index(c, fe->segment);
        if (seg < 0)
            return err_set(err, LZ_EINTERNAL, "hand-placed enterprise %d: no segment %s/%s", f, fe->chain, fe->segment);
        s->feat_seg[f] = seg;
        if (strcmp(fe->role, "chain_master") == 0 && s->chain_master[c] < 0)
            s->chain_master[c] = f;
    }
    return 0;
}

static int32_t parse_date(const char *iso)
{
    int32_t d = 0;
    date_parse(iso, strlen(iso), &d, NULL, 0);
    return d;
}

int synth_new(synth **out, const synth_params *p, lz_err *err)
{
    *out = NULL;
    if (p->enterprises < SYNTH_MIN_ENTERPRISES || p->enterprises > SYNTH_MAX_ENTERPRISES)
        return err_set(err, LZ_EINPUT, "--enterprises must be between %d and %d, got %lld", SYNTH_MIN_ENTERPRISES,
                       SYNTH_MAX_ENTERPRISES, (long long)p->enterprises);
    synth *s = xcalloc(1, sizeof *s);
    s->seed = p->seed;
    s->n = p->enterprises;
    s->today = p->today ? p->today : parse_date(SYNTH_AS_OF);
    s->blocks = xcalloc(2 * refdata_nsegments, sizeof *s->blocks);
    s->feeders = xcalloc(refdata_nsegments, sizeof *s->feeders);
    s->nfeeders = xcalloc(refdata_nsegments, sizeof *s->nfeeders);
    s->target_weight = xcalloc(refdata_nsegments, sizeof *s->target_weight);
    s->chain_master = xcalloc(refdata_nchains, sizeof *s->chain_master);
    s->lead_div = xcalloc(refdata_nchains, sizeof *s->lead_div);
    s->nlead_div = xcalloc(refdata_nchains, sizeof *s->nlead_div);
    s->ntargets = 30 + s->n / 50;
    prng r = prng_at(s->seed, 0, S_ORG);
    s->org_add = prng_below(&r, 100000000);
    layout_blocks(s);
    link_segments(s);
    int rc = declared_choices(s, err);
    if (rc == 0)
        rc = place_featured(s, err);
    for (size_t c = 0; rc == 0 && c < refdata_nchains; c++)
        rc = parse_lead_divisions(s, c, err);
    if (rc < 0) {
        synth_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void synth_free(synth *s)
{
    if (!s)
        return;
    free(s->blocks);
    free(s->feeders);
    free(s->nfeeders);
    free(s->target_weight);
    free(s->chain_master);
    free(s->lead_div);
    free(s->nlead_div);
    free(s);
}

/* ==== the enterprise profile =================================================================== */

typedef struct ent {
    int64_t i, serial; /* index and the 1-based number in its name */
    int feat;          /* hand-placed case, or -1 */
    int seg, chain;    /* -1: not on a chain */
    bool local;
    int place;            /* outside: index into refdata_places */
    const char *division; /* NULL for outside enterprises */
    const char *industry;
    const char *role; /* membership role, NULL = none */
    int size;
    int first_year; /* first year with indicators */
    int32_t founded;
    char uscc[USCC_LEN + 1];
    const char *board;       /* listing board as of the data set's date */
    int listing_start;       /* bulk listing path: shareholding reform year, 0 = none */
    int64_t revenue[NYEARS]; /* fen; meaningful from first_year */
    int64_t value_added[NYEARS], nfai[NYEARS];
    int va_pm, output_pm, tax_pm, rd_pm, nfai_pm;
    int64_t revenue_per_head; /* fen per employee */
} ent;

static int64_t per_mille(int64_t fen, int64_t pm)
{
    return (fen * pm + 500) / 1000;
}

static int32_t day_in_year(prng *r, int year)
{
    int32_t jan1 = date_from_ymd(year, 1, 1);
    return jan1 + (int32_t)prng_below(r, date_from_ymd(year + 1, 1, 1) - jan1);
}

/* GB 11714 organisation code: 8 characters and a check character (weights 3 7 9 10 5 8 4 2,
 * mod 11, 10 -> 'X'), so the middle of each USCC is well formed too. The body is a permutation of
 * the index (73939133 is odd and not a multiple of 5, hence invertible mod 10^8), so codes never
 * collide. */
static void org_code(const synth *s, int64_t i, char out[9])
{
    static const int w[8] = {3, 7, 9, 10, 5, 8, 4, 2};
    int64_t v = (i * 73939133 + s->org_add) % 100000000;
    int sum = 0;
    for (int k = 7; k >= 0; k--) {
        out[k] = (char)('0' + v % 10);
        v /= 10;
    }
    for (int k = 0; k < 8; k++)
        sum += (out[k] - '0') * w[k];
    int c = 11 - sum % 11;
    out[8] = c == 10 ? 'X' : c == 11 ? '0' : (char)('0' + c);
}

static void make_uscc(const synth *s, ent *e)
{
    char body[17];
    const char *area = e->local ? e->division : refdata_places[e->place].code;
    body[0] = '9'; /* registered by market regulation */
    body[1] = '1'; /* enterprise */
    memcpy(body + 2, area, 6);
    org_code(s, e->i, body + 8);
    uscc_complete(body, e->uscc);
}

static int find_block(const synth *s, int64_t i)
{
    size_t lo = 0, hi = 2 * refdata_nsegments; /* the last block whose start <= i */
    while (hi - lo > 1) {
        size_t mid = (lo + hi) / 2;
        if (s->blocks[mid].start <= i)
            lo = mid;
        else
            hi = mid;
    }
    return (int)lo; /* empty blocks share their start with the next one, so the last wins */
}

static const indicator_case *indicator_case_of(int feat)
{
    for (size_t k = 0; feat >= 0 && k < COUNT(indicator_cases); k++)
        if (indicator_cases[k].ent == feat)
            return &indicator_cases[k];
    return NULL;
}

static const char *featured_board(int feat)
{
    for (size_t k = 0; k < COUNT(event_cases); k++)
        if (event_cases[k].ent == feat && strcmp(event_cases[k].kind, "listed") == 0)
            return event_cases[k].detail;
    return "none";
}

/* Revenue path: a heavy-tailed start (size class: each step doubles, taken with probability 1/2,
 * so sizes follow a power law), then a per-enterprise trend with yearly noise and the 2020 dip. */
static void grow_revenue(ent *e, prng *r)
{
    int64_t rev = per_mille(YUAN(2000000) << e->size, 1000 + prng_below(r, 1000));
    int trend = (int)prng_range(r, -40, 160) + (e->first_year > SYNTH_FIRST_YEAR ? 120 : 0);
    for (int y = 0; y < NYEARS; y++) {
        int g = trend + (int)prng_range(r, -60, 60) + (SYNTH_FIRST_YEAR + y == 2020 ? -80 : 0);
        if (y > 0)
            rev = per_mille(rev, 1000 + g);
        if (rev < YUAN(100000))
            rev = YUAN(100000);
        e->revenue[y] = rev;
    }
}

/* A hand-placed revenue path replaces the drawn one; the enterprise was founded just before its
 * first year on record. */
static void case_revenue(ent *e)
{
    const indicator_case *c = indicator_case_of(e->feat);
    if (!c)
        return;
    e->first_year = SYNTH_FIRST_YEAR;
    for (int y = 0; y < NYEARS; y++) {
        if (c->revenue[y] == NONE)
            e->first_year = SYNTH_FIRST_YEAR + y + 1;
        else if (c->revenue[y] != DERIVE)
            e->revenue[y] = c->revenue[y];
    }
    e->founded = date_from_ymd(e->first_year == SYNTH_FIRST_YEAR ? 2012 : e->first_year, 3, 1);
}

static void case_facts(ent *e)
{
    const indicator_case *c = indicator_case_of(e->feat);
    for (int y = 0; c && y < NYEARS; y++) {
        if (c->value_added[y] != DERIVE)
            e->value_added[y] = c->value_added[y];
        if (c->nfai[y] != DERIVE)
            e->nfai[y] = c->nfai[y];
    }
}

static bool chain_is_emerging(int chain)
{
    for (size_t c = 0; chain >= 0 && c < refdata_nclusters; c++)
        if (strcmp(refdata_clusters[c].code, refdata_chains[chain].cluster) == 0)
            return refdata_clusters[c].emerging;
    return false;
}

static void derive_ratios(ent *e, prng *r)
{
    bool emerging = chain_is_emerging(e->chain);
    e->va_pm = (int)prng_range(r, 180, 340);
    e->output_pm = (int)prng_range(r, 1010, 1120);
    e->tax_pm = (int)prng_range(r, 15, 60);
    e->rd_pm = emerging ? (int)prng_range(r, 15, 70) : (int)prng_range(r, 3, 30);
    e->nfai_pm = (int)prng_range(r, 10, 120);
    e->revenue_per_head = YUAN(prng_range(r, 500, 1600) * 1000);
    for (int y = 0; y < NYEARS; y++) {
        e->value_added[y] = per_mille(e->revenue[y], e->va_pm + prng_range(r, -15, 15));
        e->nfai[y] = per_mille(e->revenue[y], e->nfai_pm + prng_range(r, -10, 40));
    }
}

static void listing_path(const synth *s, ent *e, prng *r)
{
    e->board = "none";
    e->listing_start = 0;
    if (!e->local || e->feat >= 0 || e->size < 8 || !prng_chance(r, 250))
        return;
    e->listing_start = (int)prng_range(r, SYNTH_FIRST_YEAR, 2023);
    const char *board = s->boards[prng_pick(r, board_weights, (int)COUNT(board_weights))];
    if (e->listing_start + 3 <= SYNTH_LAST_YEAR)
        e->board = board;
}

static void place_enterprise(const synth *s, ent *e, prng *r)
{
    if (e->feat >= 0) {
        e->seg = s->feat_seg[e->feat];
        e->local = true;
        e->size = featured_list[e->feat].size;
        e->role = featured_list[e->feat].role;
    } else {
        int b = find_block(s, e->i);
        e->seg = b / 2;
        e->local = b % 2 == 0;
        e->size = 0;
        while (e->size < 13 && prng_chance(r, 500))
            e->size++;
        if (!e->local)
            e->size = e->size + 2 > 13 ? 13 : e->size + 2; /* outside suppliers are established firms */
        e->role = !e->local ? NULL : e->size >= 8 ? "backbone" : "member";
    }
    e->chain = e->seg >= 0 ? refdata_segments[e->seg].chain : -1;
    e->industry = e->seg >= 0 ? refdata_segments[e->seg].industry : featured_list[e->feat].industry;
    e->place = (int)prng_below(r, (int64_t)refdata_nplaces);
    e->division = NULL;
    if (e->local) {
        bool lead = e->chain >= 0 && prng_chance(r, 600);
        int d =
            lead ? s->lead_div[e->chain][prng_below(r, s->nlead_div[e->chain])] : (int)prng_below(r, (int64_t)refdata_ndivisions);
        e->division = refdata_divisions[d].code;
    }
}

/* Everything about enterprise i, the same whichever table asks. */
static void ent_load(const synth *s, int64_t i, ent *e)
{
    prng r = prng_at(s->seed, (uint64_t)i, S_PROFILE);
    memset(e, 0, sizeof *e);
    e->i = i;
    e->serial = i + 1;
    e->feat = i < F_COUNT ? (int)i : -1;
    place_enterprise(s, e, &r);
    int64_t young = prng_below(&r, 40), young2 = prng_below(&r, 40);
    int age = (int)(young < young2 ? young : young2) + e->size;
    age = age > 39 ? 39 : age;
    int founded_year = SYNTH_LAST_YEAR - age;
    e->founded = day_in_year(&r, founded_year);
    e->first_year = founded_year > SYNTH_FIRST_YEAR ? founded_year : SYNTH_FIRST_YEAR;
    grow_revenue(e, &r);
    case_revenue(e);
    derive_ratios(e, &r);
    case_facts(e);
    listing_path(s, e, &r);
    if (e->feat >= 0)
        e->board = featured_board(e->feat);
    make_uscc(s, e);
}

/* ==== rows ===================================================================================== */

/* One row in the making: fields in contract order, text kept in buf. Generators name the
 * columns they fill as the table's declaration does (model/tables.c). */
typedef struct row {
    const table *t;
    size_t next; /* the column after the one last put: generators put columns in declared order */
    const char *f[TABLES_MAX_COLS];
    size_t n[TABLES_MAX_COLS];
    char buf[8192];
    size_t used;
} row;

typedef struct gen {
    const synth *s;
    row r;
    synth_row_fn fn;
    void *ctx;
    int rc;
} gen;

static int row_bind(gen *g, const table *t, lz_err *err)
{
    g->r.t = t;
    if (t->ncols > TABLES_MAX_COLS)
        return err_set(err, LZ_EINTERNAL, "table %s has more than %d columns", t->name, TABLES_MAX_COLS);
    return 0;
}

/* The index of the declared column `name`; a name the table does not declare is a bug of the
 * generator, which the reference-data tests meet at once. */
static size_t column_at(row *r, const char *name)
{
    const table *t = r->t;
    int c = r->next < t->ncols && strcmp(t->cols[r->next].name, name) == 0 ? (int)r->next : table_column_index(t, name);
    if (c < 0)
        abort();
    r->next = (size_t)c + 1;
    return (size_t)c;
}

static void row_reset(row *r)
{
    r->used = 0;
    r->next = 0;
    for (size_t c = 0; c < r->t->ncols; c++) {
        r->f[c] = "";
        r->n[c] = 0;
    }
}

/* A field that points at constant text (no copy). NULL leaves it empty. */
static void put(row *r, const char *col, const char *s)
{
    if (!s)
        return;
    size_t c = column_at(r, col);
    r->f[c] = s;
    r->n[c] = strlen(s);
}

__attribute__((format(printf, 3, 4))) static void putf(row *r, const char *col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    size_t room = sizeof r->buf - r->used;
    int len = vsnprintf(r->buf + r->used, room, fmt, ap);
    va_end(ap);
    if (len < 0 || (size_t)len >= room)
        len = 0; /* the generator's own text never comes near the buffer's size */
    size_t c = column_at(r, col);
    r->f[c] = r->buf + r->used;
    r->n[c] = (size_t)len;
    r->used += (size_t)len + 1;
}

static void put_money(row *r, const char *col, int64_t fen)
{
    char buf[MONEY_FMT_MAX];
    if (fen < 0)
        return; /* unknown */
    money_format(fen, buf);
    putf(r, col, "%s", buf);
}

static void put_date(row *r, const char *col, int32_t days)
{
    char buf[DATE_LEN + 1];
    date_format(days, buf);
    putf(r, col, "%s", buf);
}

static void put_bool(row *r, const char *col, bool v)
{
    put(r, col, v ? "true" : "false");
}

static int emit(gen *g)
{
    if (g->rc == 0)
        g->rc = g->fn(g->ctx, g->r.f, g->r.n);
    row_reset(&g->r);
    return g->rc;
}

/* ==== the fixed tables ========================================================================= */

static int gen_divisions(gen *g)
{
    for (size_t d = 0; d < refdata_ndivisions && g->rc == 0; d++) {
        put(&g->r, "code", refdata_divisions[d].code);
        put(&g->r, "name", refdata_divisions[d].name);
        emit(g);
    }
    return g->rc;
}

static int gen_clusters(gen *g)
{
    for (size_t c = 0; c < refdata_nclusters && g->rc == 0; c++) {
        put(&g->r, "code", refdata_clusters[c].code);
        put(&g->r, "name", refdata_clusters[c].name);
        put(&g->r, "kind", refdata_clusters[c].emerging ? "emerging" : "traditional");
        put(&g->r, "source", "article");
        emit(g);
    }
    return g->rc;
}

static int gen_chains(gen *g)
{
    for (size_t c = 0; c < refdata_nchains && g->rc == 0; c++) {
        const refdata_chain *ch = &refdata_chains[c];
        put(&g->r, "code", ch->code);
        put(&g->r, "cluster", ch->cluster);
        put(&g->r, "name", ch->name);
        put(&g->r, "lead_department", ch->lead_department);
        put(&g->r, "lead_divisions", ch->lead_divisions);
        put(&g->r, "leader", ch->leader);
        put(&g->r, "source", ch->from_article ? "article" : "assumed");
        /* the article names the chain and its cluster; its department, districts and leader are proposals */
        put(&g->r, "article_fields", ch->from_article ? "cluster;name" : NULL);
        emit(g);
    }
    return g->rc;
}

static int gen_segments(gen *g)
{
    for (size_t i = 0; i < refdata_nsegments && g->rc == 0; i++) {
        const refdata_segment *seg = &refdata_segments[i];
        put(&g->r, "chain", refdata_chains[seg->chain].code);
        put(&g->r, "code", seg->code);
        put(&g->r, "name", seg->name);
        put(&g->r, "stage", refdata_stage_names[seg->stage]);
        put(&g->r, "feeds", seg->feeds);
        put(&g->r, "source", seg->from_article ? "article" : "assumed");
        emit(g);
    }
    return g->rc;
}

/* ==== per-enterprise tables ==================================================================== */

/* "江门示例正极材料有限公司0000123": clearly synthetic, unique by its number. */
static void put_enterprise_name(row *r, const char *col, const ent *e)
{
    const char *word = e->seg >= 0 ? refdata_segments[e->seg].name : featured_list[e->feat].word;
    putf(r, col, "%s示例%s有限公司%07lld", e->local ? "江门" : refdata_places[e->place].name, word, (long long)e->serial);
}

static int gen_enterprises(gen *g, const ent *e)
{
    put(&g->r, "uscc", e->uscc);
    put_enterprise_name(&g->r, "name", e);
    put(&g->r, "division", e->division);
    put(&g->r, "industry_code", e->industry);
    put_date(&g->r, "founded", e->founded);
    put_bool(&g->r, "local", e->local);
    put(&g->r, "listing_board", e->board);
    /* the statistics bureau's entry year is on record for the case whose indicators begin above size */
    put(&g->r, "above_scale_entry_year", e->feat == F_ABOVE_2019 ? "2019" : NULL);
    return emit(g);
}

/* Every local enterprise of a segment is on the chain map; of the outside suppliers, three in four
 * are placed on the segment they supply (that is how the map shows where a chain buys from outside),
 * the rest stay unplaced, as a city's list never knows every supplier. */
static int gen_memberships(gen *g, const ent *e)
{
    if (e->seg < 0)
        return 0;
    prng r = prng_at(g->s->seed, (uint64_t)e->i, S_MAP);
    if (!e->local && !prng_chance(&r, OUTSIDE_PLACED_PERMILLE))
        return 0;
    put(&g->r, "uscc", e->uscc);
    put(&g->r, "chain", refdata_chains[e->chain].code);
    put(&g->r, "segment", refdata_segments[e->seg].code);
    put(&g->r, "role", e->local ? e->role : "member");
    return emit(g);
}

/* The key-enterprise directory by decision: some larger local members (masters, reserve masters
 * and backbone enterprises are on it by definition and need no row). */

static int gen_key_enterprises(gen *g, const ent *e)
{
    prng r = prng_at(g->s->seed, (uint64_t)e->i, S_KEY_DIRECTORY);
    if (!e->local || e->seg < 0 || e->feat >= 0 || strcmp(e->role, "member") != 0 || e->size < 5 || !prng_chance(&r, 300))
        return 0;
    put(&g->r, "uscc", e->uscc);
    put(&g->r, "chain", refdata_chains[e->chain].code);
    put_date(&g->r, "since", parse_date("2021-06-30") + (int32_t)prng_below(&r, 3) * 365);
    put(&g->r, "decided_by", "市工信局");
    put(&g->r, "document", NULL);
    return emit(g);
}

static int gen_indicators(gen *g, const ent *e)
{
    if (!e->local)
        return 0; /* the city's statistics cover its own enterprises only */
    for (int y = e->first_year - SYNTH_FIRST_YEAR; y < NYEARS && g->rc == 0; y++) {
        prng r = prng_at(g->s->seed, (uint64_t)(e->i * NYEARS + y), S_INDICATORS);
        int64_t rev = e->revenue[y];
        put(&g->r, "uscc", e->uscc);
        putf(&g->r, "year", "%d", SYNTH_FIRST_YEAR + y);
        put_money(&g->r, "output_value", per_mille(rev, e->output_pm));
        put_money(&g->r, "revenue", rev);
        /* a few facts missing, as in real returns: the policies must say "undetermined" */
        put_money(&g->r, "value_added", prng_chance(&r, 8) && e->feat < 0 ? NONE : e->value_added[y]);
        put_money(&g->r, "tax_paid", per_mille(rev, e->tax_pm));
        put_money(&g->r, "rd_expense", prng_chance(&r, 15) ? NONE : per_mille(rev, e->rd_pm));
        if (!prng_chance(&r, 5)) {
            int64_t heads = rev / e->revenue_per_head;
            putf(&g->r, "employees", "%lld", (long long)(heads < 3 ? 3 : heads));
        }
        put_bool(&g->r, "above_scale", rev >= ABOVE_SCALE_FEN);
        put_money(&g->r, "new_fixed_asset_investment", e->nfai[y]);
        emit(g);
    }
    return g->rc;
}

/* A supplier for customer e from the segments that feed its segment: a local or outside block of
 * one feeding segment, in proportion to their sizes, an outside firm weighing OUTSIDE_PULL local
 * ones (established suppliers sell to many customers): a segment with few local firms then buys
 * mostly from outside and shows as thin. Outside customers are recorded only when
 * they buy from the city (that is how a strong local link shows up). Returns -1 for none. */
static int64_t pick_supplier(const synth *s, const ent *e, prng *r)
{
    int nf = s->nfeeders[e->seg];
    if (nf == 0)
        return -1;
    int from = s->feeders[e->seg][prng_below(r, nf)];
    const block *local = &s->blocks[2 * from], *outside = &s->blocks[2 * from + 1];
    int64_t out_weight = e->local ? OUTSIDE_PULL * outside->count : 0, total = local->count + out_weight;
    if (total == 0)
        return -1;
    int64_t x = prng_below(r, total);
    int64_t idx = x < local->count ? local->start + x : outside->start + (x - local->count) / OUTSIDE_PULL;
    return idx == e->i ? -1 : idx;
}

static int gen_supply_links(gen *g, const ent *e)
{
    if (e->seg < 0)
        return 0;
    prng r = prng_at(g->s->seed, (uint64_t)e->i, S_SUPPLY);
    int want = e->local ? 1 + (e->size >= 4) + (e->size >= 8) + (int)prng_below(&r, 2) : 1;
    int64_t chosen[MAX_SUPPLIERS];
    int nchosen = 0;
    for (int k = 0; k < want && g->rc == 0; k++) {
        int64_t idx = pick_supplier(g->s, e, &r);
        bool dup = idx < 0;
        for (int j = 0; j < nchosen && !dup; j++)
            dup = chosen[j] == idx;
        int share_pm = (int)prng_range(&r, 20, 150);
        if (dup)
            continue;
        chosen[nchosen++] = idx;
        ent sup;
        ent_load(g->s, idx, &sup);
        for (int year = SYNTH_LAST_YEAR - 1; year <= SYNTH_LAST_YEAR && g->rc == 0; year++) {
            int y = year - SYNTH_FIRST_YEAR;
            if (year < e->first_year || year < sup.first_year)
                continue;
            int64_t amount = per_mille(e->revenue[y], share_pm) / want;
            put(&g->r, "supplier", sup.uscc);
            put(&g->r, "customer", e->uscc);
            putf(&g->r, "year", "%d", year);
            put_money(&g->r, "amount", amount > 100 ? amount : 100);
            emit(g);
        }
    }
    return g->rc;
}

/* The word for each declared project kind in a project's name. */
static const char *const project_kind_names[] = {"新建", "扩产", "技术改造", "配套"};

static void project_common(gen *g, const ent *e, int k, const char *kind)
{
    int kind_index = 0;
    while (strcmp(g->s->project_kinds[kind_index], kind) != 0)
        kind_index++;
    putf(&g->r, "id", "XM%07lld-%d", (long long)e->serial, k);
    put(&g->r, "uscc", e->uscc);
    putf(&g->r, "name", "示例%s%s项目%07lld-%d", e->seg >= 0 ? refdata_segments[e->seg].name : featured_list[e->feat].word,
         project_kind_names[kind_index], (long long)e->serial, k);
    put(&g->r, "chain", e->chain >= 0 ? refdata_chains[e->chain].code : NULL);
    put(&g->r, "division", e->division);
    put(&g->r, "kind", kind);
}

static void put_plot(row *r, int x100)
{
    if (x100 > 0)
        putf(r, "plot_ratio", "%d.%02d", x100 / 100, x100 % 100);
    if (x100 > 0)
        put(r, "land_use", "工业用地");
}

static int project_from_case(gen *g, const ent *e, int k, const project_case *c)
{
    project_common(g, e, k, c->kind);
    put_money(&g->r, "total_investment", c->total);
    put_money(&g->r, "fixed_asset_investment", c->fixed);
    put_money(&g->r, "equipment_investment", c->equipment);
    put_money(&g->r, "approved_equipment_purchase", c->approved);
    put(&g->r, "stage", c->stage);
    put(&g->r, "start_date", c->start);
    put(&g->r, "planned_completion", c->planned);
    put(&g->r, "completion_date", c->completed);
    put_bool(&g->r, "key", c->key);
    put_bool(&g->r, "new_investment", c->new_investment);
    put_plot(&g->r, c->plot_ratio_x100);
    return emit(g);
}

/* A project's stage follows from its dates against the data set's date: finished ones are
 * completed or producing, the rest somewhere on the way. */
static int project_random(gen *g, const ent *e, int k, prng *r)
{
    const char *kind = g->s->project_kinds[prng_pick(r, project_kind_weights, (int)COUNT(project_kind_weights))];
    int start_year = (int)prng_range(r, SYNTH_FIRST_YEAR - 1, SYNTH_LAST_YEAR + 1);
    int32_t start = day_in_year(r, start_year), as_of = parse_date(SYNTH_AS_OF);
    int32_t done = start + (int32_t)prng_range(r, 180, 1000);
    int64_t base = e->revenue[start_year < SYNTH_FIRST_YEAR  ? 0
                              : start_year > SYNTH_LAST_YEAR ? NYEARS - 1
                                                             : start_year - SYNTH_FIRST_YEAR];
    int64_t fixed = per_mille(base, prng_range(r, 60, 500));
    int64_t equipment = per_mille(fixed, prng_range(r, 250, 750));
    int64_t total = per_mille(fixed, prng_range(r, 1000, 1400));
    bool finished = done <= as_of, tech = strcmp(kind, "tech_upgrade") == 0;
    const char *stage = finished              ? (prng_chance(r, 500) ? "producing" : "completed")
                        : start > as_of       ? (prng_chance(r, 500) ? "planned" : "signed")
                        : prng_chance(r, 250) ? "land"
                                              : "construction";
    project_common(g, e, k, kind);
    put_money(&g->r, "total_investment", total);
    put_money(&g->r, "fixed_asset_investment", fixed);
    put_money(&g->r, "equipment_investment", equipment);
    put_money(&g->r, "approved_equipment_purchase",
              tech && finished && prng_chance(r, 900) ? per_mille(equipment, prng_range(r, 850, 1000)) : NONE);
    put(&g->r, "stage", stage);
    if (start <= as_of && strcmp(stage, "land") != 0)
        put_date(&g->r, "start_date", start);
    put_date(&g->r, "planned_completion", start + (int32_t)prng_range(r, 180, 900));
    if (finished)
        put_date(&g->r, "completion_date", done);
    put_bool(&g->r, "key", total >= YUAN(100000000));
    put_bool(&g->r, "new_investment", strcmp(kind, "new") == 0 && prng_chance(r, 600));
    if (!tech) {
        static const int plots[] = {120, 160, 200, 250, 300, 350};
        put_plot(&g->r, prng_chance(r, 300) ? plots[prng_below(r, 6)] : (int)prng_range(r, 100, 350));
    }
    return emit(g);
}

static int gen_projects(gen *g, const ent *e)
{
    if (!e->local)
        return 0;
    int k = 0;
    if (e->feat >= 0) {
        for (size_t c = 0; c < COUNT(project_cases) && g->rc == 0; c++)
            if (project_cases[c].ent == e->feat)
                project_from_case(g, e, ++k, &project_cases[c]);
        return g->rc;
    }
    prng r = prng_at(g->s->seed, (uint64_t)e->i, S_PROJECTS);
    int n = (e->size >= 1 && prng_chance(&r, 120)) + (e->size >= 4 && prng_chance(&r, 400)) + (e->size >= 8);
    while (k < n && g->rc == 0)
        project_random(g, e, ++k, &r);
    return g->rc;
}

/* Annual individual income tax on wages (comprehensive income, brackets in force since 2019):
 * taxable = wage - 60,000 basic deduction - social insurance (10.5%, at most 40,000). */
static int64_t iit_on_wage(int64_t wage)
{
    static const struct {
        int64_t upto, rate_pm, quick;
    } brackets[] = {{YUAN(36000), 30, 0},
                    {YUAN(144000), 100, YUAN(2520)},
                    {YUAN(300000), 200, YUAN(16920)},
                    {YUAN(420000), 250, YUAN(31920)},
                    {YUAN(660000), 300, YUAN(52920)},
                    {YUAN(960000), 350, YUAN(85920)},
                    {INT64_MAX, 450, YUAN(181920)}};
    int64_t social = per_mille(wage, 105);
    int64_t taxable = wage - YUAN(60000) - (social > YUAN(40000) ? YUAN(40000) : social);
    if (taxable <= 0)
        return 0;
    size_t b = 0;
    while (taxable > brackets[b].upto)
        b++;
    return per_mille(taxable, brackets[b].rate_pm) - brackets[b].quick;
}

static int person_row(gen *g, const ent *e, const char *id, int year, const char *role, int64_t wage, int64_t iit)
{
    put(&g->r, "id", id);
    put(&g->r, "uscc", e->uscc);
    putf(&g->r, "year", "%d", year);
    put(&g->r, "role", role);
    put_money(&g->r, "wage_income", wage);
    put_money(&g->r, "iit_paid", iit);
    return emit(g);
}

static int gen_persons(gen *g, const ent *e)
{
    char id[32];
    if (!e->local)
        return 0;
    for (size_t c = 0; c < COUNT(person_cases) && g->rc == 0; c++) {
        const person_case *pc = &person_cases[c];
        if (pc->ent == e->feat) {
            snprintf(id, sizeof id, "RY%07lld-C%zu", (long long)e->serial, c + 1);
            person_row(g, e, id, pc->year, pc->role, pc->wage, pc->iit);
        }
    }
    if (e->size < 4)
        return g->rc;
    prng r = prng_at(g->s->seed, (uint64_t)e->i, S_PERSONS);
    int executives = 1 + (e->size >= 8) + (e->size >= 11), people = executives + (e->size >= 7);
    for (int p = 0; p < people && g->rc == 0; p++) {
        int steps = 0;
        while (steps < 3 && prng_chance(&r, 400))
            steps++;
        int64_t wage = per_mille(YUAN(180000) << steps, prng_range(&r, 1000, 1999));
        int growth_pm = (int)prng_range(&r, 20, 80);
        snprintf(id, sizeof id, "RY%07lld-%d", (long long)e->serial, p + 1);
        for (int year = e->first_year; year <= SYNTH_LAST_YEAR && g->rc == 0; year++) {
            person_row(g, e, id, year, p < executives ? "executive" : "backbone", wage, iit_on_wage(wage));
            wage = per_mille(wage, 1000 + growth_pm);
        }
    }
    return g->rc;
}

/* ---- events, and the platforms some of them create ---- */

typedef struct event {
    char id[32];
    const char *kind;
    int32_t date;
    int64_t amount;
    const char *detail, *flags;
} event;

typedef void (*event_fn)(gen *g, const ent *e, const event *ev);

static void event_at(event *ev, const ent *e, int *k, const char *kind, int32_t date, int64_t amount, const char *detail)
{
    snprintf(ev->id, sizeof ev->id, "SX%07lld-%02d", (long long)e->serial, ++*k);
    ev->kind = kind;
    ev->date = date;
    ev->amount = amount;
    ev->detail = detail;
    ev->flags = NULL;
}

/* An amount a committee approved, or none yet (pending), drawn in steps of 10,000 up to a bit
 * above the policy's cap so that the cap gets exercised. */
static int64_t approved_or_none(prng *r, int64_t lo_yuan, int64_t hi_yuan)
{
    if (prng_chance(r, 250))
        return NONE;
    return YUAN(prng_range(r, lo_yuan / 10000, hi_yuan / 10000) * 10000);
}

static void bulk_listing(gen *g, const ent *e, event_fn fn, int *k)
{
    static const char *const stages[] = {"shareholding_reform", "listing_tutoring_filed", "listing_application_accepted", "listed"};
    prng r = prng_at(g->s->seed, (uint64_t)e->i, S_LISTING);
    for (int st = 0; st < 4 && e->listing_start + st <= SYNTH_LAST_YEAR; st++) {
        event ev;
        event_at(&ev, e, k, stages[st], day_in_year(&r, e->listing_start + st), NONE, st == 3 ? e->board : NULL);
        fn(g, e, &ev);
    }
}

/* Every event of enterprise e, in a fixed order: hand-placed ones for the cases, drawn ones for the
 * bulk. The events and platforms tables both walk this list. */
static void ent_events(gen *g, const ent *e, event_fn fn)
{
    event ev;
    int k = 0;
    if (!e->local)
        return;
    if (e->feat >= 0) {
        for (size_t c = 0; c < COUNT(event_cases); c++) {
            const event_case *ec = &event_cases[c];
            if (ec->ent != e->feat)
                continue;
            event_at(&ev, e, &k, ec->kind, parse_date(ec->date), ec->amount, ec->detail);
            ev.flags = ec->flags;
            fn(g, e, &ev);
        }
        return;
    }
    prng r = prng_at(g->s->seed, (uint64_t)e->i, S_EVENTS);
    int year = (int)prng_range(&r, SYNTH_FIRST_YEAR, SYNTH_LAST_YEAR);
    int32_t date = day_in_year(&r, year);
    static const struct {
        const char *kind;
        int min_size, chance_pm;
        int64_t lo_yuan, hi_yuan; /* 0, 0: no amount on the event */
        const char *detail, *flags;
    } draws[] = {
        {"talent_studio_established", 4, 40, 0, 0, "示例人才工作室", NULL},
        {"competition_prize", 0, 15, 100000, 1200000, "创新创业大赛获奖", NULL},
        {"provincial_innovation_center", 7, 40, 2000000, 12000000, "省技术创新中心", NULL},
        {"national_innovation_center", 9, 30, 10000000, 35000000, "国家技术创新中心", NULL},
        {"national_key_lab", 6, 15, 0, 0, "科技部认定重点实验室", NULL},
        {"new_rd_institution", 6, 15, 0, 0, "科技部认定新型研发机构", "national"},
        {"offshore_rd_institution", 6, 15, 0, 0, "科技部认定离岸研发机构", "national"},
        {"talent_project_landed", 5, 8, 5000000, 120000000, "高端人才带产业项目落户", NULL},
        {"cluster_pool_award", 2, 15, 200000, 3000000, "产业集群优胜企业和创新团队", NULL},
        {"transfer_pool_award", 2, 10, 100000, 1500000, "先进适用技术转化及产业化", NULL},
        {"other", 2, 30, 0, 0, "获评省级专精特新中小企业", NULL},
    };
    for (size_t d = 0; d < COUNT(draws); d++) {
        if (e->size < draws[d].min_size || !prng_chance(&r, draws[d].chance_pm))
            continue;
        int64_t amount = draws[d].hi_yuan ? approved_or_none(&r, draws[d].lo_yuan, draws[d].hi_yuan) : NONE;
        event_at(&ev, e, &k, draws[d].kind, date + (int32_t)d, amount, draws[d].detail);
        ev.flags = draws[d].flags;
        fn(g, e, &ev);
    }
    if (e->listing_start)
        bulk_listing(g, e, fn, &k);
}

/* A (reserve) chain-master designation names the chain: the enterprise's own. */
static const char *designation_chain(const ent *e, const event *ev)
{
    bool designation = strcmp(ev->kind, "chain_master_designated") == 0 || strcmp(ev->kind, "reserve_master_designated") == 0;
    return designation && e->chain >= 0 ? refdata_chains[e->chain].code : NULL;
}

static void event_row(gen *g, const ent *e, const event *ev)
{
    put(&g->r, "id", ev->id);
    put(&g->r, "uscc", e->uscc);
    put_date(&g->r, "date", ev->date);
    put(&g->r, "kind", ev->kind);
    put_money(&g->r, "amount", ev->amount);
    put(&g->r, "detail", ev->detail);
    put(&g->r, "flags", ev->flags);
    put(&g->r, "chain", designation_chain(e, ev));
    emit(g);
}

static int gen_events(gen *g, const ent *e)
{
    ent_events(g, e, event_row);
    return g->rc;
}

/* Which events create a platform, of what kind and level. */
static const struct {
    const char *event, *kind, *level, *name;
} platform_of_event[] = {
    {"talent_studio_established", "talent_studio", "municipal", "人才工作室"},
    {"national_innovation_center", "innovation_center", "national", "国家技术创新中心"},
    {"provincial_innovation_center", "innovation_center", "provincial", "省技术创新中心"},
    {"national_key_lab", "key_lab", "national", "重点实验室"},
    {"new_rd_institution", "new_rd_institution", "national", "新型研发机构"},
    {"offshore_rd_institution", "offshore_rd_institution", "national", "离岸研发机构"},
    {"research_institute_established", "research_institute", "municipal", "产业集群研究院"},
};

static void platform_row(gen *g, const ent *e, const char *id, const char *kind, const char *level, const char *name,
                         int32_t approved)
{
    put(&g->r, "id", id);
    putf(&g->r, "name", "示例%s%s%07lld", e->seg >= 0 ? refdata_segments[e->seg].name : featured_list[e->feat].word, name,
         (long long)e->serial);
    put(&g->r, "kind", kind);
    put(&g->r, "level", level);
    put(&g->r, "host_uscc", e->uscc);
    put_date(&g->r, "approved", approved);
    emit(g);
}

static void platform_from_event(gen *g, const ent *e, const event *ev)
{
    for (size_t p = 0; p < COUNT(platform_of_event); p++) {
        if (strcmp(platform_of_event[p].event, ev->kind) != 0)
            continue;
        char id[40];
        snprintf(id, sizeof id, "PT%s", ev->id + 2);
        /* the event's recognition level where it states one */
        const char *level = ev->flags && strcmp(ev->flags, "provincial") == 0 ? "provincial" : platform_of_event[p].level;
        platform_row(g, e, id, platform_of_event[p].kind, level, platform_of_event[p].name, ev->date);
    }
}

/* Platforms that come with no award event: enterprise technology and engineering centres and
 * public service platforms, more often in larger enterprises. */
static void platforms_without_event(gen *g, const ent *e)
{
    static const struct {
        const char *kind, *name;
        int min_size, chance_pm, provincial_from_size;
    } draws[] = {
        {"enterprise_tech_center", "企业技术中心", 4, 200, 8},
        {"engineering_center", "工程技术研究中心", 5, 100, 7},
        {"public_service", "公共服务平台", 6, 20, 10},
    };
    prng r = prng_at(g->s->seed, (uint64_t)e->i, S_PLATFORMS);
    for (size_t d = 0; d < COUNT(draws) && g->rc == 0; d++) {
        if (e->size < draws[d].min_size || !prng_chance(&r, draws[d].chance_pm))
            continue;
        char id[40];
        snprintf(id, sizeof id, "PT%07lld-P%zu", (long long)e->serial, d + 1);
        platform_row(g, e, id, draws[d].kind, e->size >= draws[d].provincial_from_size ? "provincial" : "municipal", draws[d].name,
                     day_in_year(&r, (int)prng_range(&r, 2012, SYNTH_LAST_YEAR)));
    }
}

static int gen_platforms(gen *g, const ent *e)
{
    if (!e->local)
        return 0;
    ent_events(g, e, platform_from_event);
    if (e->feat < 0)
        platforms_without_event(g, e);
    return g->rc;
}

/* Status from the deadline against the appeals' day (synth_params.today): appeals past due are
 * settled or already escalated to the chain leader, a few still open (overdue: the next sweep
 * escalates them), so a server started on the data escalates a handful, not every appeal. */
static const char *appeal_status(const synth *s, prng *r, bool past_due)
{
    const int *weights = past_due ? appeal_past_weights : appeal_current_weights;
    return s->appeal_statuses[prng_pick(r, weights, (int)COUNT(appeal_past_weights))];
}

static int appeal_row(gen *g, const ent *e, int k, const char *forced_status, int32_t opened, prng *r)
{
    const appeal_category *cat = &appeal_categories[prng_below(r, (int64_t)COUNT(appeal_categories))];
    int32_t as_of = g->s->today, due = date_add_working_days(opened, cat->deadline_working_days);
    const char *status = forced_status ? forced_status : appeal_status(g->s, r, due < as_of);
    bool settled = strcmp(status, "resolved") == 0 || strcmp(status, "closed") == 0;
    putf(&g->r, "id", "SQ%07lld-%d", (long long)e->serial, k);
    put(&g->r, "uscc", e->uscc);
    put(&g->r, "chain", e->chain >= 0 ? refdata_chains[e->chain].code : NULL);
    put(&g->r, "category", cat->code);
    put(&g->r, "summary", cat->summary);
    put(&g->r, "department", cat->department);
    put_date(&g->r, "opened", opened);
    put_date(&g->r, "due", due);
    put(&g->r, "status", status);
    if (settled) {
        int32_t resolved = opened + (int32_t)prng_range(r, 1, 2 * cat->deadline_working_days);
        put_date(&g->r, "resolved", resolved < as_of ? resolved : as_of);
        put(&g->r, "outcome", cat->outcome);
    }
    return emit(g);
}

static int gen_appeals(gen *g, const ent *e)
{
    if (!e->local)
        return 0;
    prng r = prng_at(g->s->seed, (uint64_t)e->i, S_APPEALS);
    /* appeals from 2022-06-01 to the data set's day, moved as a whole to end on the appeals' day */
    int32_t span = parse_date(SYNTH_AS_OF) - parse_date("2022-06-01"), first = g->s->today - span;
    if (e->feat >= 0) /* every status at least once, raised in the last ten days */
        return appeal_row(g, e, 1, g->s->appeal_statuses[e->feat % COUNT(appeal_past_weights)], g->s->today - 1 - e->feat / 6, &r);
    int n = prng_chance(&r, 15) + (e->size >= 6 && prng_chance(&r, 30));
    for (int k = 1; k <= n && g->rc == 0; k++)
        appeal_row(g, e, k, NULL, first + (int32_t)prng_below(&r, span + 1), &r);
    return g->rc;
}

/* ==== investment targets ======================================================================= */

static int pick_target_segment(const synth *s, prng *r)
{
    int64_t x = prng_below(r, s->target_weight_sum);
    size_t seg = 0;
    while ((x -= s->target_weight[seg]) >= 0)
        seg++;
    return (int)seg;
}

static int gen_target(gen *g, int64_t t)
{
    prng r = prng_at(g->s->seed, (uint64_t)t, S_TARGETS);
    int seg = pick_target_segment(g->s, &r);
    int chain = refdata_segments[seg].chain;
    const refdata_place *place = &refdata_places[prng_below(&r, (int64_t)refdata_nplaces)];
    int master = g->s->chain_master[chain];
    putf(&g->r, "id", "ZS%06lld", (long long)t + 1);
    putf(&g->r, "name", "%s示例%s科技有限公司（招商目标%06lld）", place->name, refdata_segments[seg].name, (long long)t + 1);
    putf(&g->r, "location", "%s市", place->name);
    put(&g->r, "chain", refdata_chains[chain].code);
    put(&g->r, "segment", refdata_segments[seg].code);
    if (master >= 0 && prng_chance(&r, 600)) {
        ent m;
        ent_load(g->s, master, &m);
        putf(&g->r, "recommended_by", "%s", m.uscc); /* copied: m goes out of scope before the row is emitted */
    }
    putf(&g->r, "owner", "%s产业链招商专班", refdata_chains[chain].name);
    put(&g->r, "stage", g->s->target_stages[prng_pick(&r, target_stage_weights, (int)COUNT(target_stage_weights))]);
    put_money(&g->r, "expected_investment", YUAN(prng_range(&r, 5, 500) * 10000000));
    int32_t from = parse_date("2024-01-01");
    put_date(&g->r, "updated", from + (int32_t)prng_below(&r, parse_date(SYNTH_AS_OF) - from + 1));
    return emit(g);
}

/* ==== dispatch ================================================================================= */

typedef struct producer {
    const char *table;
    int (*fixed)(gen *g);                 /* walks its own rows, or NULL */
    int (*per_ent)(gen *g, const ent *e); /* called for each enterprise, or NULL */
    int (*per_target)(gen *g, int64_t t); /* called for each investment target, or NULL */
} producer;

static const producer producers[] = {
    {"divisions", gen_divisions, NULL, NULL},
    {"clusters", gen_clusters, NULL, NULL},
    {"chains", gen_chains, NULL, NULL},
    {"segments", gen_segments, NULL, NULL},
    {"enterprises", NULL, gen_enterprises, NULL},
    {"memberships", NULL, gen_memberships, NULL},
    {"indicators", NULL, gen_indicators, NULL},
    {"supply_links", NULL, gen_supply_links, NULL},
    {"projects", NULL, gen_projects, NULL},
    {"persons", NULL, gen_persons, NULL},
    {"events", NULL, gen_events, NULL},
    {"targets", NULL, NULL, gen_target},
    {"platforms", NULL, gen_platforms, NULL},
    {"appeals", NULL, gen_appeals, NULL},
    {"key_enterprises", NULL, gen_key_enterprises, NULL},
};

#define PROGRESS_EVERY 4096

int synth_table(const synth *s, const table *t, synth_row_fn fn, synth_progress_fn progress, void *ctx, lz_err *err)
{
    const producer *p = NULL;
    for (size_t k = 0; k < COUNT(producers) && !p; k++)
        if (strcmp(producers[k].table, t->name) == 0)
            p = &producers[k];
    if (!p)
        return err_set(err, LZ_EINTERNAL, "the reference data has no generator for table %s", t->name);
    gen *g = xcalloc(1, sizeof *g);
    g->s = s;
    g->fn = fn;
    g->ctx = ctx;
    int rc = row_bind(g, t, err);
    row_reset(&g->r);
    int64_t total = p->per_ent ? s->n : p->per_target ? s->ntargets : 0;
    for (int64_t i = 0; rc == 0 && g->rc == 0 && i < total; i++) {
        if (p->per_ent) {
            ent e;
            ent_load(s, i, &e);
            p->per_ent(g, &e);
        } else {
            p->per_target(g, i);
        }
        if (progress && (i + 1) % PROGRESS_EVERY == 0)
            progress(ctx, i + 1, total);
    }
    if (rc == 0 && p->fixed)
        p->fixed(g);
    if (rc == 0 && progress && total > 0)
        progress(ctx, total, total);
    rc = rc ? rc : g->rc;
    free(g);
    return rc;
}
