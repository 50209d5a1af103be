"""The first skills of the taxonomy (slug, Albanian, Serbian Latin, English), loaded by a data
migration; KCSF staff keep the list in the admin afterwards."""

SKILLS = [
    ("teaching", "Mësimdhënie dhe tutorim", "Podučavanje i mentorstvo", "Teaching and tutoring"),
    ("event-organising", "Organizim i ngjarjeve", "Organizovanje događaja", "Event organising"),
    ("social-media", "Rrjete sociale", "Društvene mreže", "Social media"),
    ("writing", "Shkrim dhe redaktim", "Pisanje i uređivanje", "Writing and editing"),
    ("translation", "Përkthim", "Prevođenje", "Translation"),
    ("design", "Dizajn grafik", "Grafički dizajn", "Graphic design"),
    ("photography", "Fotografi dhe video", "Fotografija i video", "Photography and video"),
    ("web-development", "Zhvillim uebi", "Veb razvoj", "Web development"),
    ("data-analysis", "Analizë e të dhënave", "Analiza podataka", "Data analysis"),
    ("accounting", "Kontabilitet", "Računovodstvo", "Accounting"),
    ("legal-advice", "Këshillim juridik", "Pravno savetovanje", "Legal advice"),
    ("fundraising", "Mbledhje fondesh", "Prikupljanje sredstava", "Fundraising"),
    ("project-management", "Menaxhim projektesh", "Upravljanje projektima", "Project management"),
    ("first-aid", "Ndihma e parë", "Prva pomoć", "First aid"),
    (
        "care-work",
        "Kujdes për të moshuarit dhe fëmijët",
        "Briga o starima i deci",
        "Care for the elderly and children",
    ),
    ("environment", "Punë në mjedis", "Rad u životnoj sredini", "Environmental work"),
]
