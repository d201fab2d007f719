"""The demo curriculum: a realistic UK medical-school course (module, code prefix, years, topics),
built by `seed_curriculum` for `manage.py seed_demo`."""

from django.utils.text import slugify

from .models import Module, Topic
from .services import ensure_years

MODULES = [
    (
        "Principles of Medicine",
        "POM",
        [1],
        [
            "Cell biology and the cell cycle",
            "Homeostasis and feedback",
            "Membrane transport",
            "Introduction to pharmacology",
            "Genetics and inheritance",
            "Basic immunology",
            "Inflammation and repair",
            "Introduction to microbiology",
        ],
    ),
    (
        "Anatomy",
        "ANAT",
        [1, 2],
        [
            "Upper limb anatomy",
            "Lower limb anatomy",
            "Thorax and mediastinum",
            "Abdominal wall and inguinal canal",
            "Head and neck anatomy",
            "Neuroanatomy: cranial nerves",
            "Pelvis and perineum",
            "Surface anatomy for examinations",
        ],
    ),
    (
        "Physiology",
        "PHYS",
        [1, 2],
        [
            "Cardiac cycle",
            "Respiratory mechanics",
            "Renal physiology and fluid balance",
            "Acid-base balance",
            "Neuromuscular junction",
            "Endocrine axes",
            "Gastrointestinal physiology",
        ],
    ),
    (
        "Biochemistry and Metabolism",
        "BIOC",
        [1, 2],
        [
            "Glycolysis and the TCA cycle",
            "Lipid metabolism",
            "Nutrition and vitamins",
            "Inborn errors of metabolism",
            "Haem and bilirubin metabolism",
            "Clinical biochemistry tests",
        ],
    ),
    (
        "Pathology",
        "PATH",
        [2, 3],
        [
            "Neoplasia: hallmarks of cancer",
            "Thrombosis and embolism",
            "Atherosclerosis",
            "Amyloidosis",
            "Necrosis and apoptosis",
            "Hypersensitivity reactions",
            "Histopathology basics",
        ],
    ),
    (
        "Pharmacology and Therapeutics",
        "PHAR",
        [2, 3, 4],
        [
            "Pharmacokinetics",
            "Antibiotics: classes and resistance",
            "Anticoagulants",
            "Antihypertensives",
            "Analgesic ladder and opioids",
            "Prescribing safely: the BNF",
            "Drug interactions and adverse reactions",
            "Insulin and diabetes drugs",
        ],
    ),
    (
        "Cardiology",
        "CARD",
        [3, 4],
        [
            "ECG interpretation",
            "Acute coronary syndromes",
            "Heart failure",
            "Atrial fibrillation",
            "Valvular heart disease",
            "Infective endocarditis",
            "Hypertension management",
            "Cardiovascular examination",
        ],
    ),
    (
        "Respiratory Medicine",
        "RESP",
        [3, 4],
        [
            "Asthma",
            "COPD",
            "Pneumonia",
            "Pulmonary embolism",
            "Lung cancer",
            "Interstitial lung disease",
            "Arterial blood gas interpretation",
            "Chest X-ray interpretation",
            "Respiratory examination",
        ],
    ),
    (
        "Gastroenterology and Hepatology",
        "GAST",
        [3, 4],
        [
            "Inflammatory bowel disease",
            "Upper GI bleeding",
            "Liver cirrhosis",
            "Coeliac disease",
            "Pancreatitis",
            "Jaundice work-up",
            "Abdominal examination",
        ],
    ),
    (
        "Renal Medicine",
        "RENA",
        [3, 4],
        [
            "Acute kidney injury",
            "Chronic kidney disease",
            "Glomerulonephritis",
            "Electrolyte disturbances",
            "Urinary tract infection",
        ],
    ),
    (
        "Endocrinology and Diabetes",
        "ENDO",
        [3, 4],
        [
            "Type 1 diabetes and DKA",
            "Type 2 diabetes",
            "Thyroid disease",
            "Adrenal disorders",
            "Pituitary disorders",
            "Calcium and bone disease",
        ],
    ),
    (
        "Neurology",
        "NEUR",
        [4, 5],
        [
            "Stroke and TIA",
            "Epilepsy",
            "Headache",
            "Multiple sclerosis",
            "Parkinson's disease",
            "Peripheral neuropathy",
            "Neurological examination",
        ],
    ),
    (
        "Psychiatry",
        "PSYC",
        [4, 5],
        [
            "Depression",
            "Schizophrenia and psychosis",
            "Bipolar affective disorder",
            "Anxiety disorders",
            "Eating disorders",
            "Mental Health Act",
            "Risk assessment",
            "Psychiatric history and mental state examination",
        ],
    ),
    (
        "Obstetrics and Gynaecology",
        "OBGY",
        [5],
        [
            "Antenatal care",
            "Pre-eclampsia",
            "Ectopic pregnancy",
            "Labour and delivery",
            "Postpartum haemorrhage",
            "Menstrual disorders",
            "Gynaecological cancers",
            "Contraception",
        ],
    ),
    (
        "Paediatrics",
        "PAED",
        [5],
        [
            "Developmental milestones",
            "Childhood immunisations",
            "Bronchiolitis",
            "Paediatric sepsis",
            "Congenital heart disease",
            "Neonatal jaundice",
            "Safeguarding children",
        ],
    ),
    (
        "Surgery",
        "SURG",
        [4, 5, 6],
        [
            "Acute abdomen",
            "Appendicitis",
            "Bowel obstruction",
            "Hernias",
            "Breast lumps",
            "Vascular surgery: peripheral arterial disease",
            "Perioperative care",
            "Fluid prescribing",
        ],
    ),
    (
        "Orthopaedics and Trauma",
        "ORTH",
        [5, 6],
        [
            "Fractures and fracture management",
            "Hip fractures",
            "Back pain red flags",
            "Osteoarthritis and joint replacement",
            "ATLS primary survey",
        ],
    ),
    (
        "Emergency Medicine and Acute Care",
        "EMER",
        [5, 6],
        [
            "ABCDE assessment",
            "Sepsis six",
            "Anaphylaxis",
            "Cardiac arrest: ALS algorithm",
            "Overdose and poisoning",
            "Head injury",
        ],
    ),
    (
        "Clinical Skills (OSCE)",
        "OSCE",
        [1, 2, 3, 4, 5, 6],
        [
            "History taking",
            "Breaking bad news",
            "Consent and capacity",
            "Venepuncture and cannulation",
            "Blood pressure measurement",
            "Basic life support",
            "Explaining a procedure",
            "Data interpretation station",
        ],
    ),
    (
        "Prescribing and Final Exams",
        "FINL",
        [6],
        [
            "Prescribing Safety Assessment practice",
            "UKMLA applied knowledge test strategy",
            "Clinical reasoning cases",
            "Handover and SBAR",
        ],
    ),
]


def rows():
    """(code, title, module, years) for every demo topic."""
    for module, prefix, years, topics in MODULES:
        for i, title in enumerate(topics, start=1):
            yield f"{prefix}-{i:02d}", title, module, years


def seed_curriculum() -> None:
    """Years 1-6, the modules and their topics; running it again changes nothing."""
    years = ensure_years()
    modules = {}
    for code, title, module_name, year_numbers in rows():
        module = modules.get(module_name)
        if module is None:
            module, _ = Module.objects.get_or_create(
                name=module_name, defaults={"slug": slugify(module_name)}
            )
            modules[module_name] = module
        topic, _ = Topic.objects.get_or_create(
            code=code, defaults={"title": title, "module": module}
        )
        topic.years.set([years[n] for n in year_numbers])
