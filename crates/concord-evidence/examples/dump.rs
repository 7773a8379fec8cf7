//! Prints the candidate claims of the reports named on the command line (a debugging aid;
//! `concord evidence extract` is the user-facing command).

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    let texts: Vec<(String, String)> = paths
        .iter()
        .map(|p| (p.clone(), std::fs::read_to_string(p).unwrap_or_default()))
        .collect();
    let reports: Vec<concord_evidence::extract::Report<'_>> = texts
        .iter()
        .map(|(p, t)| concord_evidence::extract::Report {
            id: p
                .rsplit('/')
                .next()
                .unwrap_or(p)
                .trim_end_matches(".txt")
                .to_string(),
            file: p.clone(),
            text: t,
            meta: Default::default(),
        })
        .collect();
    let config = concord_evidence::extract::ExtractConfig::default();
    let e = concord_evidence::extract::extract(&reports, &config);
    for c in &e.claims {
        println!("{} {}", c.id, c.sentence);
        for s in &c.speakers {
            println!("    speaker: {} [{:?}] via {}", s.text, s.actor, s.verb);
        }
    }
    let a = concord_evidence::conflicts::analyse(&e, &config.aliases, &Default::default());
    for al in &a.alignments {
        println!(
            "ALIGN {:.2}\n    {}\n    {}",
            al.similarity, e.claims[al.a].sentence, e.claims[al.b].sentence
        );
    }
    for c in &a.conflicts {
        println!("{:?}", c);
    }
}
