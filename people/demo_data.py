"""Raw material of the demo: French cities, and per profession a headline and skills (fr, en)."""

# (city, weight): most members live in the big cities, some in towns around them.
CITIES = [
    ("Paris", 18),
    ("Marseille", 14),
    ("Lyon", 12),
    ("Lille", 8),
    ("Rennes", 7),
    ("Montpellier", 7),
    ("Nantes", 6),
    ("Bordeaux", 6),
    ("Toulouse", 6),
    ("Strasbourg", 4),
    ("Nice", 4),
    ("Grenoble", 3),
    ("Aix-en-Provence", 3),
    ("Aubagne", 1),
    ("Villeurbanne", 2),
    ("Roubaix", 1),
    ("Saint-Malo", 1),
    ("Sète", 1),
    ("Angers", 2),
    ("Brest", 1),
]

# profession code -> (French headline, English headline, [(skill fr, skill en), ...])
PROFESSIONS = {
    "growth_marketer": (
        "J'aide les jeunes marques à trouver leurs premiers clients",
        "I help young brands find their first customers",
        [
            ("growth marketing", "growth marketing"),
            ("SEO", "SEO"),
            ("emailing", "email marketing"),
            ("analyse de données", "data analysis"),
        ],
    ),
    "web_developer": (
        "Développeuse web, sites rapides et accessibles",
        "Web developer, fast and accessible sites",
        [
            ("développement web", "web development"),
            ("accessibilité", "accessibility"),
            ("Django", "Django"),
            ("JavaScript", "JavaScript"),
        ],
    ),
    "software_engineer": (
        "Ingénieur logiciel, du prototype à la production",
        "Software engineer, from prototype to production",
        [
            ("architecture logicielle", "software architecture"),
            ("Python", "Python"),
            ("tests automatisés", "automated testing"),
            ("cloud", "cloud"),
        ],
    ),
    "lawyer": (
        "Avocate en droit des affaires, au service des TPE",
        "Business lawyer for small companies",
        [
            ("droit des contrats", "contract law"),
            ("création d'entreprise", "company formation"),
            ("propriété intellectuelle", "intellectual property"),
        ],
    ),
    "accountant": (
        "Expert-comptable des indépendants et des startups",
        "Accountant for freelancers and startups",
        [("comptabilité", "accounting"), ("fiscalité", "tax"), ("prévisionnel", "financial forecasting")],
    ),
    "graphic_designer": (
        "Graphiste, identités visuelles qui racontent quelque chose",
        "Graphic designer, visual identities with a story",
        [("identité visuelle", "brand identity"), ("illustration", "illustration"), ("mise en page", "layout design")],
    ),
    "photographer": (
        "Photographe portrait et événementiel",
        "Portrait and event photographer",
        [("photographie", "photography"), ("portrait corporate", "corporate portraits"), ("retouche", "photo editing")],
    ),
    "business_coach": (
        "Coach de dirigeants, pour décider plus sereinement",
        "Executive coach, for calmer decisions",
        [("coaching", "coaching"), ("prise de parole", "public speaking"), ("management", "management")],
    ),
    "consultant": (
        "Consultante en stratégie pour PME",
        "Strategy consultant for SMEs",
        [("stratégie", "strategy"), ("conduite du changement", "change management"), ("levée de fonds", "fundraising")],
    ),
    "real_estate_agent": (
        "Agent immobilier de quartier",
        "Neighbourhood real estate agent",
        [("immobilier", "real estate"), ("négociation", "negotiation"), ("estimation", "property valuation")],
    ),
    "insurance_broker": (
        "Courtier en assurances pour pros",
        "Insurance broker for professionals",
        [("assurance", "insurance"), ("prévoyance", "income protection"), ("négociation", "negotiation")],
    ),
    "recruiter": (
        "Recruteuse tech, humaine avant tout",
        "Tech recruiter, human first",
        [("recrutement", "recruiting"), ("marque employeur", "employer branding"), ("entretien", "interviewing")],
    ),
    "product_manager": (
        "Product manager, j'écoute les utilisateurs",
        "Product manager, I listen to users",
        [
            ("gestion de produit", "product management"),
            ("recherche utilisateur", "user research"),
            ("roadmap", "roadmapping"),
        ],
    ),
    "ux_designer": (
        "Designer UX, des parcours simples",
        "UX designer, simple journeys",
        [("UX design", "UX design"), ("prototypage", "prototyping"), ("tests utilisateurs", "user testing")],
    ),
    "data_scientist": (
        "Data scientist, des chiffres qui aident à décider",
        "Data scientist, numbers that help decide",
        [
            ("data science", "data science"),
            ("machine learning", "machine learning"),
            ("visualisation", "data visualisation"),
        ],
    ),
    "community_manager": (
        "Community manager, je fais vivre les communautés",
        "Community manager, I bring communities to life",
        [
            ("réseaux sociaux", "social media"),
            ("animation de communauté", "community building"),
            ("rédaction", "copywriting"),
        ],
    ),
    "journalist": (
        "Journaliste économie locale",
        "Local business journalist",
        [("écriture", "writing"), ("interview", "interviewing"), ("relations presse", "press relations")],
    ),
    "translator": (
        "Traductrice anglais-français, marketing et tech",
        "English-French translator, marketing and tech",
        [("traduction", "translation"), ("localisation", "localisation"), ("relecture", "proofreading")],
    ),
    "architect": (
        "Architecte, rénovation sobre",
        "Architect, low-carbon renovation",
        [
            ("architecture", "architecture"),
            ("rénovation énergétique", "energy retrofit"),
            ("urbanisme", "urban planning"),
        ],
    ),
    "financial_advisor": (
        "Conseiller en gestion de patrimoine",
        "Wealth management advisor",
        [("gestion de patrimoine", "wealth management"), ("épargne", "savings"), ("retraite", "retirement planning")],
    ),
    "event_planner": (
        "J'organise des événements qui rapprochent",
        "I organise events that bring people together",
        [("organisation d'événements", "event planning"), ("logistique", "logistics"), ("animation", "facilitation")],
    ),
    "startup_founder": (
        "Fondatrice d'une startup à impact",
        "Founder of an impact startup",
        [("entrepreneuriat", "entrepreneurship"), ("levée de fonds", "fundraising"), ("pitch", "pitching")],
    ),
    "trainer": (
        "Formateur en communication",
        "Communication trainer",
        [("formation", "training"), ("prise de parole", "public speaking"), ("pédagogie", "teaching")],
    ),
    "osteopath": (
        "Ostéopathe, santé au travail",
        "Osteopath, workplace health",
        [("ostéopathie", "osteopathy"), ("ergonomie", "ergonomics"), ("prévention", "prevention")],
    ),
    "wine_merchant": (
        "Caviste, vins nature et vignerons du coin",
        "Wine merchant, natural wines and local growers",
        [("œnologie", "oenology"), ("accords mets-vins", "food pairing"), ("dégustation", "tasting")],
    ),
    "notary": (
        "Notaire, transmission d'entreprise",
        "Notary, business succession",
        [("transmission d'entreprise", "business succession"), ("droit immobilier", "property law")],
    ),
    "caterer": (
        "Traiteur local et de saison",
        "Local, seasonal caterer",
        [("cuisine", "cooking"), ("traiteur", "catering"), ("circuits courts", "short supply chains")],
    ),
    "printer": (
        "Imprimeur, papier recyclé",
        "Printer, recycled paper",
        [("impression", "printing"), ("édition", "publishing"), ("packaging", "packaging")],
    ),
}

# Things people want to learn, beyond the skills of others (fr, en).
EXTRA_LEARNING = [
    ("prise de parole", "public speaking"),
    ("levée de fonds", "fundraising"),
    ("growth marketing", "growth marketing"),
    ("négociation", "negotiation"),
    ("management", "management"),
    ("SEO", "SEO"),
    ("comptabilité", "accounting"),
    ("intelligence artificielle", "artificial intelligence"),
    ("photographie", "photography"),
    ("design", "design"),
]

FREE_VALUES_FR = ["bienveillance radicale", "transmission", "sobriété", "humour", "ancrage local"]
FREE_VALUES_EN = ["radical candour", "craftsmanship", "frugality", "humour", "local roots"]

OBJECTIVES_FR = [
    "Rencontrer trois growth marketers avant mars",
    "Trouver un mentor en levée de fonds",
    "Déjeuner avec un nouveau contact chaque semaine",
    "Rejoindre un club d'affaires local",
    "Trouver deux partenaires pour un projet d'événement",
]
OBJECTIVES_EN = [
    "Meet three growth marketers before March",
    "Find a fundraising mentor",
    "Have lunch with a new contact every week",
    "Join a local business club",
]
