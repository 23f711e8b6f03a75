/*
 * jiangmen — the reference city's fixed tables (see jiangmen.h). Division codes and the cluster
 * and chain names the article gives are facts; every other entry is a proposal marked assumed.
 * Chain leaders are placeholders, never real officials.
 */
#include "refdata/jiangmen.h"

#include <string.h>

const refdata_division refdata_divisions[] = {
    {"440703", "蓬江区"}, {"440704", "江海区"}, {"440705", "新会区"}, {"440781", "台山市"},
    {"440783", "开平市"}, {"440784", "鹤山市"}, {"440785", "恩平市"},
};
const size_t refdata_ndivisions = sizeof refdata_divisions / sizeof refdata_divisions[0];

/* The article's "5" emerging and "N" traditional clusters. It sets no per-cluster output target
 * (only "a batch of clusters over 100 and 50 billion"), so target_output_2025 stays unknown. */
const refdata_cluster refdata_clusters[] = {
    {"NM", "新材料", true},
    {"BH", "大健康", true},
    {"IT", "新一代信息技术", true},
    {"EQ", "高端装备制造", true},
    {"EV", "新能源汽车及零部件", true},
    {"MP", "金属制品", false},
    {"PP", "造纸和印刷", false},
    {"TX", "纺织服装", false},
    {"HA", "家电", false},
    {"MC", "摩托车", false},
};
const size_t refdata_nclusters = sizeof refdata_clusters / sizeof refdata_clusters[0];

enum {
    C_BATTERY,
    C_PETCHEM,
    C_PHARMA,
    C_FOOD,
    C_ELEC,
    C_SOFT,
    C_RAIL,
    C_SMART,
    C_EV,
    C_STEEL,
    C_PAPER,
    C_TEXTILE,
    C_APPLIANCE,
    C_MOTO
};

#define IND "市工信局"
const refdata_chain refdata_chains[] = {
    [C_BATTERY] = {"NM-BATTERY", "NM", "新能源电池", IND, "440704;440705", "示例链长01", true},
    [C_PETCHEM] = {"NM-PETCHEM", "NM", "石化新材料", IND, "440705", "示例链长02", true},
    [C_PHARMA] = {"BH-PHARMA", "BH", "生物医药与医疗器械", "市科技局", "440703;440704", "示例链长03", false},
    [C_FOOD] = {"BH-FOOD", "BH", "健康食品与饮料", IND, "440705;440783", "示例链长04", false},
    [C_ELEC] = {"IT-ELEC", "IT", "电子元器件与新型显示", IND, "440703;440784", "示例链长05", false},
    [C_SOFT] = {"IT-SOFT", "IT", "软件和信息技术服务", "市政务服务数据管理局", "440703", "示例链长06", false},
    [C_RAIL] = {"EQ-RAIL", "EQ", "轨道交通装备", IND, "440705", "示例链长07", false},
    [C_SMART] = {"EQ-SMART", "EQ", "智能制造装备", IND, "440704;440784", "示例链长08", false},
    [C_EV] = {"EV-PARTS", "EV", "新能源汽车及零部件", "市发展和改革局", "440705;440781", "示例链长09", false},
    [C_STEEL] = {"MP-STEEL", "MP", "不锈钢制品与水暖卫浴", IND, "440705;440783", "示例链长10", false},
    [C_PAPER] = {"PP-PAPER", "PP", "造纸和印刷", IND, "440705", "示例链长11", false},
    [C_TEXTILE] = {"TX-APPAREL", "TX", "纺织服装", IND, "440783;440785", "示例链长12", false},
    [C_APPLIANCE] = {"HA-APPLIANCE", "HA", "智能家电", IND, "440704;440784", "示例链长13", false},
    [C_MOTO] = {"MC-MOTO", "MC", "摩托车", IND, "440704;440705", "示例链长14", false},
};
const size_t refdata_nchains = sizeof refdata_chains / sizeof refdata_chains[0];

#define U STAGE_UP
#define M STAGE_MID
#define D STAGE_DOWN
/* chain, code, name, stage, feeds, industry class, local weight, outside weight, from the article */
const refdata_segment refdata_segments[] = {
    /* 新能源电池: "consolidate cathode materials, drive anode and separators, fill the missing cells,
     * lay out recycling" — the article's own map of the chain. */
    {C_BATTERY, "lithium_salt", "锂盐与前驱体", U, "cathode;electrolyte", "2613", 4, 3, false},
    {C_BATTERY, "cathode", "正极材料", U, "cell", "3985", 40, 2, true},
    {C_BATTERY, "anode", "负极材料", U, "cell", "3091", 2, 4, true},
    {C_BATTERY, "separator", "隔膜", U, "cell", "2921", 1, 3, true},
    {C_BATTERY, "electrolyte", "电解液", U, "cell", "2669", 4, 2, false},
    {C_BATTERY, "cell", "电芯", M, "pack", "3841", 0, 8, true},
    {C_BATTERY, "bms", "电池管理系统", M, "pack", "3824", 3, 2, false},
    {C_BATTERY, "pack", "电池模组与系统", M, "storage", "3841", 4, 2, false},
    {C_BATTERY, "storage", "储能系统集成", D, "recycling", "3829", 4, 1, false},
    {C_BATTERY, "recycling", "电池回收利用", D, "lithium_salt", "4210", 0, 2, true},
    /* 石化新材料 */
    {C_PETCHEM, "refining", "炼化基础原料", U, "basic_chem", "2511", 1, 4, false},
    {C_PETCHEM, "basic_chem", "基础有机化工原料", U, "resin;rubber;fine_chem;coatings", "2614", 4, 3, false},
    {C_PETCHEM, "resin", "合成树脂", M, "eng_plastics;plastic_products;film", "2651", 8, 2, false},
    {C_PETCHEM, "rubber", "合成橡胶", M, "plastic_products", "2652", 2, 2, false},
    {C_PETCHEM, "eng_plastics", "工程塑料与改性塑料", M, "plastic_products", "2659", 8, 1, false},
    {C_PETCHEM, "fine_chem", "精细化工与电子化学品", M, "coatings", "2669", 6, 2, false},
    {C_PETCHEM, "coatings", "涂料与胶粘剂", M, "", "2641", 8, 1, false},
    {C_PETCHEM, "plastic_products", "塑料制品", D, "", "2929", 12, 1, false},
    {C_PETCHEM, "film", "功能膜材料", D, "", "2921", 4, 1, false},
    /* 生物医药与医疗器械 */
    {C_PHARMA, "api", "原料药", U, "chem_drug", "2710", 3, 3, false},
    {C_PHARMA, "excipient", "药用辅料与包材", U, "chem_drug;tcm;bio_drug", "2780", 2, 2, false},
    {C_PHARMA, "tcm_material", "中药材与饮片", U, "tcm", "2730", 4, 1, false},
    {C_PHARMA, "chem_drug", "化学药制剂", M, "distribution", "2720", 3, 1, false},
    {C_PHARMA, "tcm", "中成药", M, "distribution", "2740", 4, 1, false},
    {C_PHARMA, "bio_drug", "生物药品", M, "distribution", "2761", 2, 2, false},
    {C_PHARMA, "device", "医疗器械", M, "distribution", "3581", 5, 2, false},
    {C_PHARMA, "distribution", "医药流通", D, "", "5151", 4, 1, false},
    /* 健康食品与饮料 */
    {C_FOOD, "agri_raw", "农产品原料", U, "processed_food;beverage;health_food", "0190", 6, 2, false},
    {C_FOOD, "food_packaging", "食品包装材料", U, "processed_food;beverage;health_food", "2231", 4, 2, false},
    {C_FOOD, "fermentation", "发酵与调味原料", U, "processed_food;beverage", "1469", 4, 1, false},
    {C_FOOD, "processed_food", "食品加工", M, "food_brand", "1499", 8, 1, false},
    {C_FOOD, "beverage", "饮料", M, "food_brand", "1529", 6, 1, false},
    {C_FOOD, "health_food", "保健食品", M, "food_brand", "1492", 5, 1, false},
    {C_FOOD, "food_brand", "品牌营销与电商", D, "", NULL, 3, 1, false},
    /* 电子元器件与新型显示 */
    {C_ELEC, "elec_materials", "电子专用材料", U, "pcb;components;display", "3985", 3, 3, false},
    {C_ELEC, "chips", "集成电路", U, "terminal;optoelectronics", "3973", 0, 6, false},
    {C_ELEC, "pcb", "印制电路板", U, "terminal;display", "3982", 6, 2, false},
    {C_ELEC, "components", "电子元件", U, "terminal;display", "3981", 6, 2, false},
    {C_ELEC, "display", "显示模组", M, "terminal", "3974", 4, 2, false},
    {C_ELEC, "optoelectronics", "光电器件", M, "display", "3976", 6, 1, false},
    {C_ELEC, "terminal", "智能终端", M, "iot", "3922", 4, 1, false},
    {C_ELEC, "iot", "物联网应用", D, "", "6532", 3, 1, false},
    /* 软件和信息技术服务 (GB/T 4754 division 65: what miit.software looks for) */
    {C_SOFT, "basic_software", "基础软件", U, "app_software;industrial_software", "6511", 1, 3, false},
    {C_SOFT, "ic_design", "集成电路设计", U, "integration", "6520", 1, 2, false},
    {C_SOFT, "cloud", "云计算与数据服务", U, "app_software;it_services", "6550", 2, 2, false},
    {C_SOFT, "app_software", "应用软件", M, "integration;digital", "6513", 8, 1, false},
    {C_SOFT, "industrial_software", "工业软件", M, "digital", "6519", 4, 1, false},
    {C_SOFT, "integration", "信息系统集成", M, "it_services", "6531", 6, 1, false},
    {C_SOFT, "it_services", "运维与信息技术服务", D, "", "6540", 5, 1, false},
    {C_SOFT, "digital", "制造业数字化服务", D, "", "6560", 5, 1, false},
    /* 轨道交通装备 */
    {C_RAIL, "rail_castings", "型材与铸锻件", U, "bogie;rail_vehicle", "3391", 4, 2, false},
    {C_RAIL, "rail_electrical", "牵引与电气系统", U, "rail_vehicle", "3716", 2, 3, false},
    {C_RAIL, "rail_interior", "车内装饰与座椅", U, "rail_vehicle", "3715", 3, 1, false},
    {C_RAIL, "bogie", "转向架与车体部件", M, "rail_vehicle", "3715", 2, 2, false},
    {C_RAIL, "rail_vehicle", "整车制造", M, "rail_service", "3712", 1, 1, false},
    {C_RAIL, "rail_service", "检修与运维服务", D, "", "3716", 2, 1, false},
    /* 智能制造装备 */
    {C_SMART, "precision_parts", "精密零部件", U, "robots;cnc;special_equipment", "3483", 8, 2, false},
    {C_SMART, "motors", "电机与驱动", U, "robots;cnc", "3812", 4, 2, false},
    {C_SMART, "controllers", "控制系统与传感器", U, "robots;cnc;line_integration", "4011", 3, 3, false},
    {C_SMART, "robots", "工业机器人", M, "line_integration", "3491", 3, 2, false},
    {C_SMART, "cnc", "数控机床", M, "line_integration", "3421", 4, 2, false},
    {C_SMART, "special_equipment", "专用设备", M, "line_integration", "3599", 8, 1, false},
    {C_SMART, "line_integration", "智能产线集成", D, "", "3499", 4, 1, false},
    /* 新能源汽车及零部件 */
    {C_EV, "lightweight", "轻量化材料与铸件", U, "chassis;ev_interior", "3392", 5, 2, false},
    {C_EV, "auto_electronics", "汽车电子", U, "ev_assembly;charging", "3670", 4, 2, false},
    {C_EV, "e_drive", "驱动电机与电控", M, "ev_assembly", "3812", 2, 3, false},
    {C_EV, "chassis", "底盘与车身部件", M, "ev_assembly", "3670", 6, 1, false},
    {C_EV, "ev_interior", "内外饰件", M, "ev_assembly", "3670", 5, 1, false},
    {C_EV, "power_battery", "动力电池系统", M, "ev_assembly", "3841", 0, 4, false},
    {C_EV, "ev_assembly", "整车制造", D, "aftermarket", "3612", 1, 2, false},
    {C_EV, "charging", "充电设施", D, "", NULL, 3, 1, false},
    {C_EV, "aftermarket", "汽车后市场服务", D, "", "8111", 4, 1, false},
    /* 不锈钢制品与水暖卫浴: the article's 日用不锈钢制品, 水暖卫浴, 高档水暖配件, 集装箱 */
    {C_STEEL, "steel_sheet", "不锈钢板材与型材", U, "surface;kitchenware;container", "3130", 3, 4, false},
    {C_STEEL, "copper", "铜材与铸件", U, "valves", "3251", 4, 2, false},
    {C_STEEL, "surface", "表面处理", M, "kitchenware;sanitary", "3360", 6, 1, false},
    {C_STEEL, "valves", "水暖配件与阀门", M, "sanitary", "3443", 8, 1, false},
    {C_STEEL, "kitchenware", "日用不锈钢制品", D, "", "3381", 12, 1, false},
    {C_STEEL, "sanitary", "水暖卫浴产品", D, "", "3389", 12, 1, false},
    {C_STEEL, "container", "集装箱", D, "", "3331", 2, 1, false},
    /* 造纸和印刷 */
    {C_PAPER, "pulp", "纸浆", U, "paper;special_paper", "2211", 1, 4, false},
    {C_PAPER, "waste_paper", "废纸回收", U, "paper", "4220", 4, 1, false},
    {C_PAPER, "paper_chem", "造纸化学品", U, "paper;special_paper", "2669", 2, 2, false},
    {C_PAPER, "paper", "机制纸与纸板", M, "printing;paper_products", "2221", 6, 1, false},
    {C_PAPER, "special_paper", "特种纸", M, "printing", "2223", 3, 1, false},
    {C_PAPER, "printing", "包装装潢印刷", D, "", "2319", 10, 1, false},
    {C_PAPER, "paper_products", "纸制品", D, "", "2239", 6, 1, false},
    /* 纺织服装 */
    {C_TEXTILE, "fiber", "化纤与纱线原料", U, "spinning", "2822", 2, 3, false},
    {C_TEXTILE, "spinning", "纺纱", U, "weaving", "1711", 4, 1, false},
    {C_TEXTILE, "weaving", "织造", M, "dyeing", "1712", 6, 1, false},
    {C_TEXTILE, "dyeing", "印染", M, "garments;knitwear", "1713", 4, 1, false},
    {C_TEXTILE, "trims", "服装辅料", M, "garments;knitwear", NULL, 4, 1, false},
    {C_TEXTILE, "garments", "服装", D, "", "1810", 12, 1, false},
    {C_TEXTILE, "knitwear", "针织服装", D, "", "1820", 6, 1, false},
    /* 智能家电: the article's "全屋智能家居" and local supply */
    {C_APPLIANCE, "appliance_parts", "钣金与塑料件", U, "kitchen;small_appliance;cleaning", "2929", 6, 1, false},
    {C_APPLIANCE, "compressor", "压缩机与电机", U, "kitchen", "3442", 1, 3, false},
    {C_APPLIANCE, "control_board", "控制板与传感器", U, "kitchen;small_appliance;cleaning;smart_home", "3982", 4, 2, false},
    {C_APPLIANCE, "kitchen", "厨房电器", M, "smart_home", "3854", 10, 1, false},
    {C_APPLIANCE, "small_appliance", "小家电", M, "smart_home", "3859", 10, 1, false},
    {C_APPLIANCE, "cleaning", "清洁电器", M, "", "3855", 4, 1, false},
    {C_APPLIANCE, "smart_home", "全屋智能家居", D, "", "3859", 2, 1, false},
    /* 摩托车 */
    {C_MOTO, "moto_castings", "铸锻件", U, "engine;frame", "3391", 4, 1, false},
    {C_MOTO, "moto_electrical", "电气与电子", U, "moto_assembly", "3752", 4, 2, false},
    {C_MOTO, "engine", "发动机", M, "moto_assembly", "3752", 3, 1, false},
    {C_MOTO, "frame", "车架与覆盖件", M, "moto_assembly", "3752", 4, 1, false},
    {C_MOTO, "moto_e_drive", "电动摩托车动力系统", M, "moto_assembly", "3752", 1, 2, false},
    {C_MOTO, "moto_assembly", "整车制造", D, "moto_dealer", "3751", 2, 1, false},
    {C_MOTO, "moto_dealer", "销售与后市场", D, "", NULL, 3, 1, false},
};
const size_t refdata_nsegments = sizeof refdata_segments / sizeof refdata_segments[0];

/* Outside suppliers and investment targets: other cities of the province and beyond. */
const refdata_place refdata_places[] = {
    {"440300", "深圳"}, {"440100", "广州"}, {"440600", "佛山"}, {"441900", "东莞"}, {"442000", "中山"}, {"440400", "珠海"},
    {"320500", "苏州"}, {"330200", "宁波"}, {"350200", "厦门"}, {"360500", "新余"}, {"430100", "长沙"}, {"510100", "成都"},
};
const size_t refdata_nplaces = sizeof refdata_places / sizeof refdata_places[0];

const char *const refdata_stage_names[3] = {"upstream", "midstream", "downstream"};

int refdata_chain_index(const char *code)
{
    for (size_t i = 0; i < refdata_nchains; i++)
        if (strcmp(refdata_chains[i].code, code) == 0)
            return (int)i;
    return -1;
}

int refdata_segment_index(int chain, const char *code)
{
    for (size_t i = 0; i < refdata_nsegments; i++)
        if (refdata_segments[i].chain == chain && strcmp(refdata_segments[i].code, code) == 0)
            return (int)i;
    return -1;
}

bool refdata_segment_feeds(int from, int to)
{
    const refdata_segment *f = &refdata_segments[from];
    const char *want = refdata_segments[to].code;
    size_t n = strlen(want);
    if (f->chain != refdata_segments[to].chain)
        return false;
    for (const char *p = f->feeds; *p;) {
        const char *end = strchr(p, ';');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len == n && memcmp(p, want, n) == 0)
            return true;
        p += len + (end != NULL);
    }
    return false;
}
