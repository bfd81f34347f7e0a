"""Word lists for the demo catalog, in en, ru, pl, lv and zh."""
# ruff: noqa: RUF001

from __future__ import annotations

# (code, names per locale, parent code)
CATEGORIES = [
    ("beauty", {"en": "Beauty", "ru": "Красота", "pl": "Uroda", "lv": "Skaistums", "zh": "美妆"}, None),
    ("makeup", {"en": "Makeup", "ru": "Макияж", "pl": "Makijaż", "lv": "Grims", "zh": "彩妆"}, "beauty"),
    ("skincare", {"en": "Skincare", "ru": "Уход за кожей", "pl": "Pielęgnacja", "lv": "Ādas kopšana",
                  "zh": "护肤"}, "beauty"),
    ("personal-care", {"en": "Personal care", "ru": "Личная гигиена", "pl": "Higiena", "lv": "Personīgā higiēna",
                       "zh": "个人护理"}, None),
    ("hair", {"en": "Hair", "ru": "Волосы", "pl": "Włosy", "lv": "Mati", "zh": "头发护理"}, "personal-care"),
    ("body", {"en": "Body", "ru": "Тело", "pl": "Ciało", "lv": "Ķermenis", "zh": "身体护理"}, "personal-care"),
    ("home", {"en": "Home", "ru": "Дом", "pl": "Dom", "lv": "Māja", "zh": "家居"}, None),
    ("scents", {"en": "Home scents", "ru": "Ароматы для дома", "pl": "Zapachy do domu", "lv": "Mājas aromāti",
                "zh": "家居香氛"}, "home"),
    ("textiles", {"en": "Textiles", "ru": "Текстиль", "pl": "Tekstylia", "lv": "Tekstils", "zh": "纺织品"}, "home"),
]

# (leaf code, parent, names per locale, attribute, values, weight grams)
TYPES = [
    ("lipstick", "makeup", {"en": "lipstick", "ru": "помада", "pl": "szminka", "lv": "lūpu krāsa", "zh": "口红"},
     "shade", ["ruby", "nude", "coral", "plum"], 20),
    ("mascara", "makeup", {"en": "mascara", "ru": "тушь для ресниц", "pl": "tusz do rzęs", "lv": "skropstu tuša",
                           "zh": "睫毛膏"}, "shade", ["black", "brown"], 25),
    ("foundation", "makeup", {"en": "foundation", "ru": "тональный крем", "pl": "podkład", "lv": "tonālais krēms",
                              "zh": "粉底液"}, "shade", ["ivory", "beige", "sand", "honey"], 60),
    ("face-cream", "skincare", {"en": "face cream", "ru": "крем для лица", "pl": "krem do twarzy",
                                "lv": "sejas krēms", "zh": "面霜"}, "volume_ml", ["30", "50"], 120),
    ("serum", "skincare", {"en": "serum", "ru": "сыворотка", "pl": "serum", "lv": "serums", "zh": "精华液"},
     "volume_ml", ["15", "30"], 80),
    ("cleanser", "skincare", {"en": "cleansing gel", "ru": "очищающий гель", "pl": "żel oczyszczający",
                              "lv": "attīrošs gels", "zh": "洁面乳"}, "volume_ml", ["150", "250"], 200),
    ("shampoo", "hair", {"en": "shampoo", "ru": "шампунь", "pl": "szampon", "lv": "šampūns", "zh": "洗发水"},
     "volume_ml", ["250", "500"], 320),
    ("conditioner", "hair", {"en": "conditioner", "ru": "бальзам для волос", "pl": "odżywka", "lv": "kondicionieris",
                             "zh": "护发素"}, "volume_ml", ["200", "400"], 280),
    ("shower-gel", "body", {"en": "shower gel", "ru": "гель для душа", "pl": "żel pod prysznic",
                            "lv": "dušas želeja", "zh": "沐浴露"}, "volume_ml", ["250", "500"], 300),
    ("body-lotion", "body", {"en": "body lotion", "ru": "лосьон для тела", "pl": "balsam do ciała",
                             "lv": "ķermeņa losjons", "zh": "身体乳"}, "volume_ml", ["200", "400"], 260),
    ("candle", "scents", {"en": "scented candle", "ru": "ароматическая свеча", "pl": "świeca zapachowa",
                          "lv": "aromātiskā svece", "zh": "香薰蜡烛"}, "size", ["S", "L"], 350),
    ("towel", "textiles", {"en": "cotton towel", "ru": "хлопковое полотенце", "pl": "ręcznik bawełniany",
                           "lv": "kokvilnas dvielis", "zh": "棉毛巾"}, "size", ["50x90", "70x140"], 450),
]

ADJECTIVES = [
    {"en": "Velvet", "ru": "Бархатный", "pl": "Aksamitny", "lv": "Samta", "zh": "丝绒"},
    {"en": "Hydrating", "ru": "Увлажняющий", "pl": "Nawilżający", "lv": "Mitrinošs", "zh": "保湿"},
    {"en": "Radiant", "ru": "Сияющий", "pl": "Rozświetlający", "lv": "Starojošs", "zh": "亮采"},
    {"en": "Gentle", "ru": "Нежный", "pl": "Delikatny", "lv": "Maigs", "zh": "温和"},
    {"en": "Matte", "ru": "Матовый", "pl": "Matowy", "lv": "Matēts", "zh": "哑光"},
    {"en": "Nourishing", "ru": "Питательный", "pl": "Odżywczy", "lv": "Barojošs", "zh": "滋养"},
    {"en": "Fresh", "ru": "Свежий", "pl": "Świeży", "lv": "Svaigs", "zh": "清新"},
    {"en": "Soothing", "ru": "Успокаивающий", "pl": "Kojący", "lv": "Nomierinošs", "zh": "舒缓"},
    {"en": "Organic", "ru": "Органический", "pl": "Organiczny", "lv": "Bioloģisks", "zh": "有机"},
    {"en": "Luxe", "ru": "Роскошный", "pl": "Luksusowy", "lv": "Grezns", "zh": "奢华"},
]

SCENTS = [
    {"en": "rose", "ru": "роза", "pl": "róża", "lv": "roze", "zh": "玫瑰"},
    {"en": "lavender", "ru": "лаванда", "pl": "lawenda", "lv": "lavanda", "zh": "薰衣草"},
    {"en": "vanilla", "ru": "ваниль", "pl": "wanilia", "lv": "vaniļa", "zh": "香草"},
    {"en": "citrus", "ru": "цитрус", "pl": "cytrus", "lv": "citrusi", "zh": "柑橘"},
    {"en": "jasmine", "ru": "жасмин", "pl": "jaśmin", "lv": "jasmīns", "zh": "茉莉"},
    {"en": "mint", "ru": "мята", "pl": "mięta", "lv": "piparmētra", "zh": "薄荷"},
    {"en": "sea salt", "ru": "морская соль", "pl": "sól morska", "lv": "jūras sāls", "zh": "海盐"},
    {"en": "green tea", "ru": "зелёный чай", "pl": "zielona herbata", "lv": "zaļā tēja", "zh": "绿茶"},
]

WITH = {"en": "with", "ru": "с ароматом", "pl": "o zapachu", "lv": "ar aromātu", "zh": "香型"}

DESCRIPTIONS = {
    "en": "A {adj} {type} by {brand} with notes of {scent}. Dermatologically tested, cruelty-free.",
    "ru": "{adj} {type} от {brand}, нота: {scent}. Дерматологически протестировано.",
    "pl": "{adj} {type} marki {brand}, nuta: {scent}. Testowany dermatologicznie.",
    "lv": "{adj} {type} no {brand}, aromāts: {scent}. Dermatoloģiski pārbaudīts.",
    "zh": "{brand}{adj}{type}，{scent}香调。经皮肤科测试。",
}

BRANDS = ["Velvetine", "Aqualis", "Nordic Bloom", "Baltic Amber", "Lotus Garden", "Maison Lumière"]
