"""The Maths Hubs' national work group types, as hubs describe them to schools."""

WORK_GROUP_TYPES = [
    {
        "name": "Primary Teaching for Mastery",
        "description": "A primary teaching for mastery specialist leads a group of schools in "
        "developing their approach to teaching for mastery.",
        "target_audience": "Primary schools starting to develop teaching for mastery.",
        "expected_schools": 6,
        "expected_workshops": 6,
        "expected_school_visits": 6,
        "expected_duration": "One academic year",
    },
    {
        "name": "Mastery Readiness",
        "description": "Builds leadership that removes barriers to change, and a classroom "
        "culture and attitudes to mathematics that support teaching for mastery, around the 5 "
        "Big Ideas. Leads spend one half day each half term in each school on its action plan.",
        "target_audience": "Schools that have not yet joined Teaching for Mastery: the maths "
        "lead and another teacher, with the headteacher at some sessions.",
        "expected_schools": 7,
        "expected_workshops": 5,
        "expected_school_visits": 5,
        "expected_duration": "Two and a half terms",
    },
    {
        "name": "Primary Maths Subject Knowledge Enhancement",
        "description": "Develops primary teachers' subject knowledge and the pedagogical "
        "knowledge to teach it well, exploring maths in depth and making connections.",
        "target_audience": "All primary teachers; best suited to those with 2+ years' experience.",
        "expected_duration": "One academic year",
    },
    {
        "name": "Subject Knowledge Enhancement for Support Staff",
        "description": "Develops teaching assistants' subject knowledge so they can support "
        "pupils in class and in small intervention groups.",
        "target_audience": "Teaching assistants in primary who support pupils' mathematics.",
        "expected_duration": "One academic year",
    },
    {
        "name": "Teaching for Mastery: Intervention in a Mastery Context",
        "description": "Considers models of intervention that keep all pupils up with the "
        "class; schools trial a model and document what they see.",
        "target_audience": "Teachers who lead maths or intervention in schools with teaching "
        "for mastery embedded in at least two classes.",
        "expected_duration": "One academic year",
    },
    {
        "name": "Teaching for Mastery: Lesson Design",
        "description": "Teachers plan exemplar lessons with the Mastery Professional "
        "Development materials and textbooks, improving lesson design across their school.",
        "target_audience": "Two teachers from each school, one of them a middle or senior "
        "leader, ideally the maths lead.",
        "expected_duration": "One academic year",
    },
    {
        "name": "Teaching for Mastery: Planning for Greater Depth",
        "description": "Designs tasks and questions that let all pupils work at greater depth "
        "without being accelerated through the programmes of study.",
        "target_audience": "Schools sustaining teaching for mastery after earlier work groups.",
        "expected_duration": "One academic year",
    },
    {
        "name": "SEND and Mathematics Partnership",
        "description": "Special and mainstream schools work together on a content area or "
        "theme, using reasoning and manipulatives to improve SEND provision in maths.",
        "target_audience": "Teachers of mathematics in primary, secondary and special schools, "
        "and SENCos with a strong maths background.",
        "expected_duration": "One academic year",
    },
    {
        "name": "Sustaining Teaching for Mastery",
        "description": "Keeps the momentum of a teaching for mastery work group, with a plan "
        "for leaders to evaluate and embed the approach across the whole school.",
        "target_audience": "Schools from last year's Teaching for Mastery work groups.",
        "expected_duration": "One academic year",
    },
]
