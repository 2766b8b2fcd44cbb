"""Real French communes for demo data: name, INSEE code, postal code, polling stations, centre."""

# (commune, INSEE code, postal code, number of bureaux de vote, latitude, longitude, weight)
COMMUNES = [
    *[
        (f"Lyon {n}{'er' if n == 1 else 'e'} arrondissement", f"6938{n}", f"6900{n}", 12, lat, lng, 6)
        for n, lat, lng in [
            (1, 45.7676, 4.8345), (2, 45.7485, 4.8270), (3, 45.7597, 4.8531),
            (4, 45.7787, 4.8276), (5, 45.7580, 4.8030), (6, 45.7725, 4.8510),
            (7, 45.7456, 4.8423), (8, 45.7350, 4.8700), (9, 45.7745, 4.8060),
        ]
    ],
    *[
        (f"Paris {n}{'er' if n == 1 else 'e'} arrondissement", f"751{n:02d}", f"750{n:02d}", 20, lat, lng, 5)
        for n, lat, lng in [
            (1, 48.8625, 2.3364), (2, 48.8683, 2.3428), (3, 48.8630, 2.3600),
            (4, 48.8543, 2.3576), (5, 48.8445, 2.3497), (6, 48.8491, 2.3327),
            (7, 48.8562, 2.3121), (8, 48.8727, 2.3125), (9, 48.8771, 2.3375),
            (10, 48.8761, 2.3607), (11, 48.8591, 2.3800), (12, 48.8350, 2.4210),
            (13, 48.8283, 2.3623), (14, 48.8292, 2.3265), (15, 48.8401, 2.2931),
            (16, 48.8604, 2.2620), (17, 48.8873, 2.3067), (18, 48.8925, 2.3486),
            (19, 48.8871, 2.3848), (20, 48.8634, 2.4011),
        ]
    ],
    ("Marseille", "13055", "13001", 40, 43.2965, 5.3698, 10),
    ("Villeurbanne", "69266", "69100", 25, 45.7719, 4.8902, 5),
    ("Vénissieux", "69259", "69200", 15, 45.6975, 4.8867, 3),
    ("Grenoble", "38185", "38000", 25, 45.1885, 5.7245, 5),
    ("Toulouse", "31555", "31000", 40, 43.6047, 1.4442, 9),
    ("Lille", "59350", "59000", 30, 50.6292, 3.0573, 7),
    ("Roubaix", "59512", "59100", 15, 50.6942, 3.1746, 3),
    ("Nantes", "44109", "44000", 30, 47.2184, -1.5536, 7),
    ("Bordeaux", "33063", "33000", 30, 44.8378, -0.5792, 7),
    ("Rennes", "35238", "35000", 25, 48.1173, -1.6778, 5),
    ("Strasbourg", "67482", "67000", 30, 48.5734, 7.7521, 6),
    ("Montpellier", "34172", "34000", 30, 43.6108, 3.8767, 6),
    ("Montreuil", "93048", "93100", 15, 48.8638, 2.4485, 4),
    ("Saint-Denis", "93066", "93200", 15, 48.9362, 2.3574, 4),
    ("Clermont-Ferrand", "63113", "63000", 20, 45.7772, 3.0870, 4),
    ("Tours", "37261", "37000", 15, 47.3941, 0.6848, 3),
    ("Amiens", "80021", "80000", 15, 49.8941, 2.2958, 3),
    ("Besançon", "25056", "25000", 15, 47.2378, 6.0241, 3),
]

STREET_KINDS = ["rue", "rue", "rue", "avenue", "boulevard", "place", "impasse", "chemin", "allée", "quai"]
STREET_NAMES = [
    "Victor Hugo", "Jean Jaurès", "de la République", "Pasteur", "Gambetta", "Jean Moulin",
    "de la Liberté", "du Général de Gaulle", "Émile Zola", "Voltaire", "des Écoles", "de la Gare",
    "du Moulin", "de l'Église", "Louise Michel", "Aristide Briand", "Paul Bert", "Anatole France",
    "des Lilas", "de la Paix", "Jules Ferry", "Lamartine", "Georges Clemenceau", "Carnot",
    "Marcel Pagnol", "Simone Veil", "Lucie Aubrac", "des Canuts", "de la Croix-Rousse", "Garibaldi",
    "Danton", "Rosa Parks", "Molière", "du Marché", "des Tilleuls", "Saint-Exupéry", "Condorcet",
]
EMAIL_DOMAINS = ["gmail.com", "orange.fr", "free.fr", "laposte.net", "hotmail.fr", "yahoo.fr", "sfr.fr", "outlook.fr", "proton.me"]
TAGS = [
    "sympathisant", "militant", "bénévole", "pétition climat", "porte-à-porte", "donateur",
    "jeunes", "quartiers nord", "commerçant", "parent d'élève", "syndicaliste", "presse",
]
