#!/usr/bin/env python3
"""Writes the project's own sample IMR determination letters, their expected facts, and bad inputs.

    python3 data/samples/make_samples.py          # rewrites data/samples/letters/, expected.jsonl
                                                  # and tests/fixtures/bad/

Every case below is invented. The letters imitate the three published layouts and the defects of
text pulled out of PDFs (see README.md next to this script): wrapped lines that end in a
space and are followed by a blank line, words glued together, page furniture inside sentences,
words hyphenated across lines, CRLF line ends, curly quotes, (TM) signs, non-breaking spaces and
Windows-1252 files, plus one PDF. Output is byte-for-byte deterministic. Standard library only.
"""
import datetime as dt
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
LETTER_DIR = os.path.join(HERE, "letters")
BAD_DIR = os.path.join(ROOT, "tests", "fixtures", "bad")

NBSP = "\u00a0"
TM = "\u2122"

# ------------------------------------------------------------------------------------------------
# Requested items. kind -> how the item is cited and argued; drug and category are what the
# lexicon in data/lexicon/ must find in the item text.

# kind: (drug generic or None, drug class or None, category)
KINDS = {
    "carisoprodol": ("carisoprodol", "muscle relaxant", "medication"),
    "cyclobenzaprine": ("cyclobenzaprine", "muscle relaxant", "medication"),
    "tizanidine": ("tizanidine", "muscle relaxant", "medication"),
    "hydrocodone": ("hydrocodone/acetaminophen", "opioid", "medication"),
    "hydrocodone_er": ("hydrocodone", "opioid", "medication"),
    "oxycodone_apap": ("oxycodone/acetaminophen", "opioid", "medication"),
    "oxycodone": ("oxycodone", "opioid", "medication"),
    "morphine": ("morphine", "opioid", "medication"),
    "tramadol": ("tramadol", "opioid", "medication"),
    "tapentadol": ("tapentadol", "opioid", "medication"),
    "buprenorphine": ("buprenorphine", "opioid", "medication"),
    "apap_codeine": ("acetaminophen/codeine", "opioid", "medication"),
    "alprazolam": ("alprazolam", "benzodiazepine", "medication"),
    "clonazepam": ("clonazepam", "benzodiazepine", "medication"),
    "gabapentin": ("gabapentin", "anti-epilepsy drug", "medication"),
    "pregabalin": ("pregabalin", "anti-epilepsy drug", "medication"),
    "naproxen": ("naproxen", "NSAID", "medication"),
    "celecoxib": ("celecoxib", "NSAID", "medication"),
    "meloxicam": ("meloxicam", "NSAID", "medication"),
    "diclofenac_gel": ("diclofenac", "NSAID", "medication"),
    "duexis": ("ibuprofen/famotidine", "NSAID", "medication"),
    "omeprazole": ("omeprazole", "proton pump inhibitor", "medication"),
    "pantoprazole": ("pantoprazole", "proton pump inhibitor", "medication"),
    "zolpidem": ("zolpidem", "sedative hypnotic", "medication"),
    "duloxetine": ("duloxetine", "antidepressant", "medication"),
    "trazodone": ("trazodone", "antidepressant", "medication"),
    "compound": ("flurbiprofen/cyclobenzaprine", "topical analgesic", "medication"),
    "terocin": ("lidocaine/menthol", "topical analgesic", "medication"),
    "lidoderm": ("lidocaine", "topical analgesic", "medication"),
    "lidopro": ("capsaicin/lidocaine/menthol/methyl salicylate", "topical analgesic", "medication"),
    "fioricet": ("butalbital/acetaminophen/caffeine", "barbiturate", "medication"),
    "sumatriptan": ("sumatriptan", "triptan", "medication"),
    "ondansetron": ("ondansetron", "antiemetic", "medication"),
    "medrol": ("methylprednisolone", "corticosteroid", "medication"),
    "senokot": ("docusate/sennosides", "laxative", "medication"),
    "mri": (None, None, "diagnostic imaging"),
    "mri_shoulder": (None, None, "diagnostic imaging"),
    "mri_neck": (None, None, "diagnostic imaging"),
    "xray": (None, None, "diagnostic imaging"),
    "emg": (None, None, "electrodiagnostic testing"),
    "pt": (None, None, "physical therapy"),
    "postop_pt": (None, None, "physical therapy"),
    "aquatic": (None, None, "physical therapy"),
    "acupuncture": (None, None, "acupuncture"),
    "chiro": (None, None, "chiropractic"),
    "tens": (None, None, "durable medical equipment"),
    "hwave": (None, None, "durable medical equipment"),
    "coldunit": (None, None, "durable medical equipment"),
    "collar": (None, None, "durable medical equipment"),
    "esi": (None, None, "injection"),
    "facet": (None, None, "injection"),
    "rfa": (None, None, "injection"),
    "scs": (None, None, "surgery"),
    "shoulder_scope": (None, None, "surgery"),
    "knee_scope": (None, None, "surgery"),
    "acdf": (None, None, "surgery"),
    "ctr": (None, None, "surgery"),
    "tka": (None, None, "surgery"),
    "frp": (None, None, "functional restoration"),
    "homehealth": (None, None, "home health"),
    "uds": (None, None, "laboratory testing"),
    "cbt": (None, None, "psychotherapy"),
    "consult": (None, None, "consultation"),
    "gym": (None, None, "other"),
}

# kind -> {source: (topic as cited, pages)}; the first source listed in a case is cited first.
CITES = {
    "carisoprodol": {"MTUS": ("Carisoprodol (Soma)", "29"), "ODG": ("Pain (Chronic), Carisoprodol (Soma)", "")},
    "cyclobenzaprine": {"MTUS": ("Cyclobenzaprine (Flexeril)", "41-42"), "ODG": ("Pain (Chronic), Muscle relaxants (for pain)", "")},
    "tizanidine": {"MTUS": ("Muscle relaxants (for pain)", "63-66")},
    "hydrocodone": {"MTUS": ("Opioids, criteria for use", "76-80"), "ODG": ("Pain (Chronic), Opioids for chronic pain", "")},
    "hydrocodone_er": {"MTUS": ("Opioids, criteria for use", "76-80"), "ODG": ("Pain (Chronic), Opioids for chronic pain", "")},
    "oxycodone_apap": {"MTUS": ("Opioids, criteria for use", "76-80")},
    "oxycodone": {"MTUS": ("Opioids, specific drug list", "92-97"), "ODG": ("Pain (Chronic), Opioids for chronic pain", "")},
    "morphine": {"MTUS": ("Opioids, specific drug list", "92-97")},
    "tramadol": {"MTUS": ("Tramadol (Ultram)", "93-94")},
    "tapentadol": {"MTUS": ("Opioids, criteria for use", "76-80"), "ODG": ("Pain (Chronic), Tapentadol (Nucynta)", "")},
    "buprenorphine": {"MTUS": ("Buprenorphine", "26-27")},
    "apap_codeine": {"MTUS": ("Opioids, criteria for use", "76-80")},
    "alprazolam": {"MTUS": ("Benzodiazepines", "24")},
    "clonazepam": {"MTUS": ("Benzodiazepines", "24"), "ODG": ("Mental Illness & Stress, Benzodiazepines", "")},
    "gabapentin": {"MTUS": ("Anti-epilepsy drugs (AEDs)", "16-22")},
    "pregabalin": {"MTUS": ("Pregabalin (Lyrica)", "99")},
    "naproxen": {"MTUS": ("NSAIDs (non-steroidal anti-inflammatory drugs)", "67-73")},
    "celecoxib": {"MTUS": ("NSAIDs, specific drug list & adverse effects", "70")},
    "meloxicam": {"MTUS": ("NSAIDs (non-steroidal anti-inflammatory drugs)", "67-73")},
    "diclofenac_gel": {"MTUS": ("Topical Analgesics", "111-113")},
    "duexis": {"MTUS": ("NSAIDs, GI symptoms & cardiovascular risk", "68-69"), "ODG": ("Pain (Chronic), Duexis (ibuprofen & famotidine)", "")},
    "omeprazole": {"MTUS": ("NSAIDs, GI symptoms & cardiovascular risk", "68-69"), "ODG": ("Pain (Chronic), Proton pump inhibitors (PPIs)", "")},
    "pantoprazole": {"MTUS": ("NSAIDs, GI symptoms & cardiovascular risk", "68-69")},
    "zolpidem": {"ODG": ("Pain (Chronic), Zolpidem (Ambien)", "")},
    "duloxetine": {"MTUS": ("Duloxetine (Cymbalta)", "43-44")},
    "trazodone": {"ODG": ("Mental Illness & Stress, Trazodone (Desyrel)", ""), "MTUS": ("Antidepressants for chronic pain", "13-16")},
    "compound": {"MTUS": ("Topical Analgesics", "111-113")},
    "terocin": {"MTUS": ("Topical Analgesics", "111-113"), "ODG": ("Pain (Chronic), Lidoderm (lidocaine patch)", "")},
    "lidoderm": {"MTUS": ("Lidoderm (lidocaine patch)", "56-57")},
    "lidopro": {"MTUS": ("Topical Analgesics", "111-113")},
    "fioricet": {"MTUS": ("Barbiturate-containing analgesic agents (BCAs)", "23")},
    "sumatriptan": {"ODG": ("Head, Triptans", "")},
    "ondansetron": {"ODG": ("Pain (Chronic), Antiemetics (for opioid nausea)", "")},
    "medrol": {"ODG": ("Low Back, Oral corticosteroids", "")},
    "senokot": {"MTUS": ("Opioids, initiating therapy", "77")},
    "mri": {"ACOEM": ("Chapter 12 Low Back Complaints, Special Studies", "303-304"), "ODG": ("Low Back, MRIs (magnetic resonance imaging)", "")},
    "mri_shoulder": {"ACOEM": ("Chapter 9 Shoulder Complaints, Special Studies", "207-209")},
    "mri_neck": {"ACOEM": ("Chapter 8 Neck and Upper Back Complaints, Special Studies", "177-178"), "ODG": ("Neck & Upper Back, Magnetic resonance imaging (MRI)", "")},
    "xray": {"ACOEM": ("Chapter 13 Knee Complaints, Special Studies", "341-343")},
    "emg": {"ACOEM": ("Chapter 11 Forearm, Wrist, and Hand Complaints, Special Studies", "260-262"), "ODG": ("Carpal Tunnel, Electrodiagnostic studies (EDS)", "")},
    "pt": {"MTUS": ("Physical Medicine", "98-99")},
    "postop_pt": {"MTUS": ("Postsurgical Treatment Guidelines, Shoulder", "26-27")},
    "aquatic": {"MTUS": ("Aquatic therapy", "22")},
    "acupuncture": {"MTUS": ("Acupuncture Medical Treatment Guidelines", "")},
    "chiro": {"MTUS": ("Manual therapy & manipulation", "58-60")},
    "tens": {"MTUS": ("TENS, chronic pain (transcutaneous electrical nerve stimulation)", "114-116")},
    "hwave": {"MTUS": ("H-wave stimulation (HWT)", "117-118")},
    "coldunit": {"ODG": ("Knee & Leg, Continuous-flow cryotherapy", "")},
    "collar": {"ODG": ("Neck & Upper Back, Collars (cervical)", "")},
    "esi": {"MTUS": ("Epidural steroid injections (ESIs)", "46")},
    "facet": {"ACOEM": ("Chapter 12 Low Back Complaints", "300-301"), "ODG": ("Low Back, Facet joint diagnostic blocks (injections)", "")},
    "rfa": {"ODG": ("Low Back, Facet joint radiofrequency neurotomy", ""), "ACOEM": ("Chapter 12 Low Back Complaints", "300-301")},
    "scs": {"MTUS": ("Spinal cord stimulators (SCS)", "105-107")},
    "shoulder_scope": {"ACOEM": ("Chapter 9 Shoulder Complaints, Surgical Considerations", "209-211")},
    "knee_scope": {"ACOEM": ("Chapter 13 Knee Complaints, Surgical Considerations", "344-345"), "ODG": ("Knee & Leg, Meniscectomy", "")},
    "acdf": {"ACOEM": ("Chapter 8 Neck and Upper Back Complaints, Surgical Considerations", "179-181")},
    "ctr": {"ACOEM": ("Chapter 11 Forearm, Wrist, and Hand Complaints, Surgical Considerations", "270")},
    "tka": {"ODG": ("Knee & Leg, Knee joint replacement", "")},
    "frp": {"MTUS": ("Functional restoration programs (FRPs)", "30-34")},
    "homehealth": {"MTUS": ("Home health services", "51")},
    "uds": {"MTUS": ("Drug testing", "43"), "ODG": ("Pain (Chronic), Urine drug testing (UDT)", "")},
    "cbt": {"MTUS": ("Behavioral interventions", "23")},
    "consult": {"ACOEM": ("Chapter 7 Independent Medical Examinations and Consultations", "127")},
    "gym": {"ODG": ("Low Back, Gym memberships", "")},
}

# kind -> (what the guideline asks, why it fails here, why it is met here). Written for these samples.
ARGUMENTS = {
    "carisoprodol": (
        "Carisoprodol is not advised for chronic pain; its active metabolite, meprobamate, is a scheduled anxiolytic, and the guideline cautions against use beyond a two to three week window.",
        "The records show that {item} has been refilled monthly since at least {since}, with no acute flare of back pain described and no taper plan.",
        "The note of {visit} documents a fresh flare of lumbar spasm after a fall at home, and the quantity requested covers a short course only, which fits the limited role the guideline allows.",
    ),
    "cyclobenzaprine": (
        "Cyclobenzaprine is supported for a brief course of two to three weeks, with the greatest effect in the first four days; it is not meant for daily long-term use.",
        "This worker has taken {item} nightly for many months, and no renewed spasm or functional gain from it is recorded.",
        "An acute exacerbation with palpable paraspinal spasm was documented on {visit}, and the prescriber intends a ten-day course.",
    ),
    "tizanidine": (
        "Tizanidine is FDA approved for spasticity and used off label for low back pain; the non-sedating muscle relaxants are a second-line option for short-term treatment of acute exacerbations, and liver function should be monitored.",
        "No liver function tests are on file, and {item} has been used continuously rather than for a flare.",
        "The prescriber documents a flare with spasm, a baseline hepatic panel was normal, and the request is limited in quantity.",
    ),
    "hydrocodone": (
        "Continued opioid therapy requires ongoing review of analgesia, activities of daily living, adverse effects and aberrant drug-taking behavior, and the lowest effective dose.",
        "The progress reports list the same pain score of 8/10 with and without medication, no urine drug testing or CURES review is documented, and no functional gain is described.",
        "The treating physician records pain falling from 8/10 to 4/10 with the medication, a return to modified duty, a signed opioid agreement and a consistent urine drug screen.",
    ),
    "hydrocodone_er": (
        "An extended-release opioid is reserved for patients with documented benefit from short-acting agents who need continuous around-the-clock analgesia, with the four domains of monitoring in place.",
        "Nothing in the file shows why a long-acting agent is needed; the daily morphine equivalent would rise above 120 mg, and no functional measures are recorded.",
        "The records describe stable dosing for two years, improved sitting and walking tolerance, and no aberrant behavior.",
    ),
    "oxycodone_apap": (
        "Opioids may be continued when the patient has returned to work or has improved function and pain, with documented monitoring for misuse.",
        "The worker remains off work, function is unchanged, and the last drug screen was inconsistent with the prescribed regimen without any follow-up.",
        "The note documents a 50% reduction in pain, the ability to walk for 30 minutes, and no adverse effects.",
    ),
    "oxycodone": (
        "Long-acting oxycodone is intended for moderate to severe pain requiring continuous treatment, and is not for as-needed use; dosing above 120 mg oral morphine equivalents a day calls for a pain specialist's review.",
        "The current regimen exceeds 180 mg morphine equivalents a day, and no measurable improvement in function has been recorded.",
        "The regimen is below 90 mg morphine equivalents a day, and the worker reports being able to perform light household tasks.",
    ),
    "morphine": (
        "Morphine sulfate extended-release tablets are for chronic pain needing daily around-the-clock treatment; the tablets must be swallowed whole and the dose titrated with documented monitoring.",
        "Two long-acting opioids are prescribed at the same time, with no rationale and no documented benefit from either.",
        "The regimen has been stable, the worker is monitored monthly, and the medication allows participation in a home exercise program.",
    ),
    "tramadol": (
        "Tramadol is a centrally acting synthetic opioid and is not recommended as a first-line oral analgesic; it is subject to the same monitoring as other opioids.",
        "No pain scores before and after taking {item} are recorded, and there is no mention of a drug screen.",
        "The notes record that {item} lowers pain from 7/10 to 3/10, that the worker has resumed part-time work, and that screening has been appropriate.",
    ),
    "tapentadol": (
        "Tapentadol is recommended only as a second-line therapy for patients who develop intolerable adverse effects with first-line opioids.",
        "There is no documented trial of, or intolerance to, a first-line opioid before {item} was started.",
        "Intolerable nausea with hydrocodone is documented, and the worker has shown improved function on {item}.",
    ),
    "buprenorphine": (
        "Buprenorphine is recommended for treatment of opiate addiction and as an option for chronic pain, especially after detoxification in patients with a history of opiate addiction.",
        "The file does not describe opioid dependence, a failed detoxification or why the transdermal form is needed.",
        "The worker completed a supervised taper off high-dose opioids and the patch has kept pain and function stable.",
    ),
    "apap_codeine": (
        "Codeine combinations are an option for mild to moderate pain, with the same monitoring that applies to every opioid.",
        "No objective functional improvement is documented and the prescriptions come from two different providers.",
        "The worker uses the medication sparingly for flare-ups, and the records show improved walking tolerance with no side effects.",
    ),
    "alprazolam": (
        "Benzodiazepines are not recommended for long-term use because efficacy is unproven and there is a risk of dependence; most guidelines limit use to four weeks.",
        "{item} has been prescribed for more than a year, well past the limited period the guideline supports.",
        "The request is for a two-week supply while an SSRI is started for a newly diagnosed panic disorder, consistent with short-term use.",
    ),
    "clonazepam": (
        "Benzodiazepines are limited to four weeks; tolerance to the hypnotic effect develops rapidly and tolerance to the anxiolytic effect within months.",
        "The worker has taken {item} for several years and no taper has been discussed.",
        "The psychiatrist documents a plan to taper {item} over eight weeks, and the requested amount supports that taper.",
    ),
    "gabapentin": (
        "Anti-epilepsy drugs such as gabapentin are recommended for neuropathic pain; a good response is a 50% reduction in pain, and a moderate response is 30%.",
        "The worker's pain is axial and mechanical, without any neuropathic findings, and no benefit from {item} is described.",
        "Electrodiagnostic studies confirm an L5 radiculopathy, and the progress note records burning leg pain reduced by about 40% with {item}.",
    ),
    "pregabalin": (
        "Pregabalin is approved for diabetic neuropathy, postherpetic neuralgia and fibromyalgia, and is a first-line option for neuropathic pain.",
        "No neuropathic diagnosis is documented and gabapentin has not been tried.",
        "The worker has documented radicular pain, gabapentin caused dizziness, and {item} has improved sleep and walking.",
    ),
    "naproxen": (
        "NSAIDs are recommended at the lowest dose for the shortest period for moderate to severe pain from osteoarthritis, and as an option for short-term relief of chronic back pain.",
        "{item} has been taken daily for years, the worker reports gastritis, and no renal or hepatic monitoring is on file.",
        "The request follows a documented flare of knee osteoarthritis, laboratory monitoring is current, and no gastrointestinal risk factors are present.",
    ),
    "celecoxib": (
        "Celecoxib is a COX-2 selective non-steroidal anti-inflammatory drug, an option for patients with a risk of gastrointestinal complications but no cardiovascular risk.",
        "Nothing shows that a non-selective NSAID failed or that the worker has a gastrointestinal risk justifying a COX-2 inhibitor.",
        "The worker has a history of a bleeding gastric ulcer on ibuprofen, and no cardiac disease, so a COX-2 selective agent is the reasonable choice.",
    ),
    "meloxicam": (
        "Non-steroidal anti-inflammatory drugs are recommended at the lowest dose for the shortest period for osteoarthritis and flares of back pain.",
        "The worker already takes another NSAID, and duplicating the class adds risk without documented benefit.",
        "The note documents a flare of hip osteoarthritis with improved walking on {item}, and no contraindications are present.",
    ),
    "diclofenac_gel": (
        "Topical diclofenac is indicated for relief of osteoarthritis pain in joints that lend themselves to topical treatment, such as the knee, ankle, elbow, hand and wrist; it has not been evaluated for the spine, hip or shoulder.",
        "The gel is prescribed for the lumbar spine, a site for which the product has not been studied.",
        "The worker has osteoarthritis of both knees and could not tolerate oral NSAIDs, which is the situation the guideline describes.",
    ),
    "duexis": (
        "Prophylaxis against gastrointestinal events is appropriate only for patients at intermediate or high risk; brand combinations of ibuprofen and famotidine are not recommended as first-line therapy because each component is available separately.",
        "No gastrointestinal risk factors are described, and there is no reason given why the separate generic components would not serve.",
        "The worker is over 65 and takes low-dose aspirin, which places him at intermediate risk, but the combination product is still not a first-line choice.",
    ),
    "omeprazole": (
        "A proton pump inhibitor is appropriate with an NSAID when the patient is over 65, has a history of peptic ulcer, GI bleeding or perforation, takes aspirin, corticosteroids or an anticoagulant, or uses high-dose or multiple NSAIDs.",
        "None of these risk factors is documented, and no dyspepsia is described.",
        "The worker takes an NSAID together with low-dose aspirin and has a history of a duodenal ulcer, which places him at intermediate risk.",
    ),
    "pantoprazole": (
        "Proton pump inhibitors are indicated for patients taking NSAIDs who are at intermediate or high risk of gastrointestinal events.",
        "The NSAID was discontinued months ago, and no ongoing gastrointestinal condition is described.",
        "Medication-induced gastritis is documented while on a continuing NSAID.",
    ),
    "zolpidem": (
        "Zolpidem is a short-acting non-benzodiazepine hypnotic approved for the short-term treatment of insomnia, generally two to six weeks; long-term use is rarely advisable.",
        "{item} has been taken nightly for over a year, and no sleep hygiene measures or assessment of the cause of insomnia are described.",
        "The request is for a two-week course while sleep hygiene measures are started, with a documented sleep history.",
    ),
    "duloxetine": (
        "Duloxetine is recommended as a first-line option for diabetic neuropathy, and is FDA approved for fibromyalgia and chronic musculoskeletal pain.",
        "No neuropathic or musculoskeletal benefit has been recorded after six months on {item}.",
        "The worker has radicular pain with depression, and the records describe better sleep, mood and activity tolerance on {item}.",
    ),
    "trazodone": (
        "Sedating antidepressants such as trazodone are an option for insomnia in patients with coexisting depression or anxiety.",
        "Neither depression nor anxiety is diagnosed, and no evaluation of the sleep complaint is documented.",
        "The worker has documented depression with sleep-onset insomnia, and the low dose requested suits that purpose.",
    ),
    "compound": (
        "Topical analgesics are largely experimental, with few randomized controlled trials of efficacy or safety; any compounded product that contains at least one drug or drug class that is not recommended is not recommended. There is no evidence for muscle relaxants as a topical product.",
        "The compound contains cyclobenzaprine, which is not recommended for topical use, so the product as a whole is not supported.",
        "",
    ),
    "terocin": (
        "Topical lidocaine is supported only in the form of the dermal patch for localized peripheral neuropathic pain after first-line therapy has failed; other formulations are not recommended.",
        "The patch contains menthol and lidocaine in a formulation other than the approved dermal patch, and no failed first-line therapy is documented.",
        "",
    ),
    "lidoderm": (
        "The lidocaine 5% patch may be considered for localized peripheral pain after evidence of a trial of first-line therapy, such as a tricyclic or SNRI antidepressant or an anti-epilepsy drug like gabapentin.",
        "The pain is diffuse axial low back pain, not localized peripheral neuropathic pain, and first-line agents have not been tried.",
        "Localized post-surgical neuropathic pain over the incision is documented after failed trials of gabapentin and nortriptyline.",
    ),
    "lidopro": (
        "Compounded and combination topical products are not recommended when any ingredient is not recommended; topical lidocaine other than the dermal patch is not recommended.",
        "The lotion combines capsaicin, lidocaine, menthol and methyl salicylate, and its lidocaine is not in the dermal patch form.",
        "",
    ),
    "fioricet": (
        "Barbiturate-containing analgesic agents are not recommended for chronic pain; the potential for drug dependence is high, and rebound headache is common.",
        "{item} is taken several times a week for tension headaches, and medication overuse headache is a concern.",
        "",
    ),
    "sumatriptan": (
        "Triptans are recommended for migraine sufferers; the different agents are similar in efficacy, and poor response to one does not predict poor response to another.",
        "The headaches are described as cervicogenic, not migrainous, so a triptan is not indicated.",
        "A neurologist diagnosed migraine without aura after the head injury, and {item} aborts the attacks within two hours.",
    ),
    "ondansetron": (
        "Antiemetics are not recommended for nausea and vomiting secondary to chronic opioid use; ondansetron is approved for nausea from chemotherapy, radiation and surgery.",
        "The nausea is attributed to the opioid regimen, which is not an approved indication.",
        "The request is for use in the first days after the scheduled surgery, an approved indication.",
    ),
    "medrol": (
        "Oral corticosteroids are recommended in limited circumstances for acute radicular pain, as a short course; they are not recommended for chronic pain or for acute non-radicular pain.",
        "The symptoms have persisted for more than two years and are axial, without radicular findings.",
        "",
    ),
    "senokot": (
        "When opioids are started, prophylactic treatment of constipation should be started as well.",
        "The opioid this laxative accompanies was found not medically necessary in this review, so the laxative is not needed either.",
        "",
    ),
    "mri": (
        "Unequivocal objective findings that identify specific nerve compromise on the neurologic examination are sufficient to warrant imaging in patients who do not respond to treatment and would consider surgery; repeat imaging is reserved for a significant change in symptoms or findings.",
        "The examination shows no focal motor, sensory or reflex deficit, and no surgery is being considered.",
        "The examination on {visit} shows a new left foot drop with a diminished Achilles reflex, and the surgeon would consider decompression.",
    ),
    "mri_shoulder": (
        "Imaging of the shoulder is appropriate when there are red flags, when physiologic evidence of tissue insult or neurovascular dysfunction emerges, when the patient fails to progress in a strengthening program, or to clarify anatomy before an invasive procedure.",
        "",
        "",
    ),
    "mri_neck": (
        "Imaging of the cervical spine is recommended when there is emergence of a red flag, physiologic evidence of tissue insult or neurologic dysfunction, failure to progress in a strengthening program, or to clarify anatomy before an invasive procedure.",
        "The neurologic examination of the arms is normal, and no red flag or planned procedure is described.",
        "",
    ),
    "xray": (
        "Radiographs of the knee are indicated after trauma when the Ottawa knee rules are met, such as inability to bear weight or focal tenderness of the patella or fibular head.",
        "",
        "The worker could not bear weight for four steps after the fall and has focal patellar tenderness.",
    ),
    "emg": (
        "Electrodiagnostic studies help distinguish carpal tunnel syndrome from cervical radiculopathy when the diagnosis is unclear, and are recommended before surgery is considered.",
        "Normal studies were done eight months ago, and nothing in the examination has changed since then.",
        "",
    ),
    "pt": (
        "Physical medicine allows for fading of treatment frequency, from up to three visits a week to one or less, plus active self-directed home exercise; 9 to 10 visits over 8 weeks are supported for myalgia and myositis, and 8 to 10 visits over 4 weeks for neuralgia and radiculitis.",
        "The worker has already completed 24 sessions for the same condition, and no reason is given why a home program would not suffice.",
        "Only four sessions have been completed, with measurable gains in lifting tolerance, and the request stays within the recommended number of visits.",
    ),
    "postop_pt": (
        "After arthroscopic shoulder surgery, 24 visits over 14 weeks are supported, with an initial course of half that number.",
        "The surgery itself was found not medically necessary, so post-operative therapy is not needed.",
        "",
    ),
    "aquatic": (
        "Aquatic therapy is an optional form of exercise therapy where available, as an alternative to land-based therapy when reduced weight bearing is desirable, for example in extreme obesity.",
        "Nothing in the record explains why land-based therapy or a home program cannot be done.",
        "",
    ),
    "acupuncture": (
        "Acupuncture is used as an option when pain medication is reduced or not tolerated, or as an adjunct to physical rehabilitation; functional improvement should appear within three to six treatments.",
        "",
        "The worker has not had acupuncture before and is reducing opioid use, and the six treatments requested are within the initial trial the guideline supports.",
    ),
    "chiro": (
        "Manual therapy is recommended for chronic pain caused by musculoskeletal conditions, with a trial of six visits over two weeks and up to 18 visits over six to eight weeks if there is objective functional improvement.",
        "Twelve visits were completed last year without any measured improvement.",
        "This is the first request for manipulation, for a low back flare, and the number of visits fits the initial trial.",
    ),
    "tens": (
        "A one-month home-based TENS trial may be considered as an adjunct to a program of evidence-based functional restoration, for neuropathic pain, CRPS, phantom limb pain, spasticity or multiple sclerosis.",
        "No one-month trial has been done and the unit is requested for purchase outright.",
        "",
    ),
    "hwave": (
        "H-wave stimulation is not recommended as an isolated intervention; a one-month home trial may be considered for diabetic neuropathic pain or chronic soft tissue inflammation after failure of conservative care including TENS.",
        "There is no documentation of a failed TENS trial or of a one-month H-wave trial with measured results.",
        "",
    ),
    "coldunit": (
        "Continuous-flow cryotherapy is recommended as an option after surgery for up to seven days, including home use; it reduces pain, swelling and narcotic use.",
        "",
        "The unit is requested for seven days following the approved knee surgery, which matches the guideline.",
    ),
    "collar": (
        "A cervical collar may be used for comfort after an anterior cervical fusion, but the guideline does not support routine bracing after single-level fusion with plate fixation.",
        "The surgery itself was found not medically necessary, so the collar is not needed.",
        "",
    ),
    "esi": (
        "Radiculopathy must be documented by physical examination and corroborated by imaging or electrodiagnostic testing, the pain must have failed conservative treatment, and no more than two nerve root levels should be injected; a repeat block requires at least 50% relief for six to eight weeks.",
        "The prior injection at the same level gave relief for about two weeks only, and the current examination shows no dermatomal deficit.",
        "A positive straight leg raise, diminished sensation in the L5 dermatome and an MRI showing a disc protrusion contacting the L5 root are documented, and physical therapy has failed.",
    ),
    "facet": (
        "Diagnostic facet blocks are limited to patients with non-radicular low back pain at no more than two levels, after failure of conservative treatment for at least four to six weeks, and as a prelude to facet neurotomy.",
        "The examination documents radicular findings in the right leg, which the guideline lists as an exclusion.",
        "",
    ),
    "rfa": (
        "Facet joint radiofrequency neurotomy requires a diagnosis of facet joint pain confirmed by a medial branch block with at least 70% relief.",
        "The diagnostic medial branch blocks have not been performed, so the diagnosis is unconfirmed.",
        "",
    ),
    "scs": (
        "Spinal cord stimulators are recommended only for selected patients when less invasive procedures have failed or are contraindicated, such as failed back syndrome or complex regional pain syndrome, after a psychological evaluation.",
        "",
        "The worker has failed back surgery syndrome after two lumbar operations, persistent radicular pain, and a psychological evaluation that cleared him for a trial.",
    ),
    "shoulder_scope": (
        "Surgical consultation is indicated for activity limitation of more than four months, failure to increase range of motion and strength after an exercise program, and a clear lesion on imaging that is known to benefit from repair.",
        "The worker has had two sessions of physical therapy only, and the imaging shows tendinosis without a tear.",
        "",
    ),
    "knee_scope": (
        "Arthroscopic partial meniscectomy is supported when there are mechanical symptoms such as locking or giving way, failed conservative care, and a meniscus tear on MRI.",
        "",
        "The worker reports locking of the knee, has a positive McMurray test, failed physical therapy, and an MRI showing a tear of the posterior horn of the medial meniscus.",
    ),
    "acdf": (
        "Cervical fusion is considered for severe and disabling arm symptoms with clear clinical, imaging and electrophysiologic evidence of a lesion that has been shown to benefit from surgical repair, after failed conservative care.",
        "The MRI shows mild foraminal narrowing at C5-6 without cord or root compression, and the examination is neurologically intact.",
        "",
    ),
    "ctr": (
        "Carpal tunnel release is supported by positive electrodiagnostic studies and failed splinting, activity modification and injection.",
        "Electrodiagnostic studies were normal and no trial of night splinting or injection is documented.",
        "",
    ),
    "tka": (
        "Knee joint replacement is indicated when conservative care has failed and there is limited range of motion, night pain, functional limitation, age over 50 and a body mass index under 40, with osteoarthritis on imaging.",
        "",
        "The worker is 61, has bone-on-bone medial compartment arthritis on standing films, night pain and failed injections and therapy, and a body mass index of 31.",
    ),
    "frp": (
        "Functional restoration programs are recommended when an adequate evaluation with baseline functional testing has been done, previous treatment has failed, there is a significant loss of ability to function independently, and the patient is not a surgical candidate and is motivated to change.",
        "",
        "The multidisciplinary evaluation of {visit} documents all of these criteria, and the 80 hours requested is a two-week trial as the guideline recommends.",
    ),
    "homehealth": (
        "Home health services are recommended only for medical treatment of patients who are homebound, generally up to 35 hours a week; homemaker services such as shopping, cleaning and laundry are not medical treatment.",
        "The worker drives to appointments, so is not homebound, and the services described are housekeeping and meal preparation.",
        "",
    ),
    "uds": (
        "Urine drug testing is an option to assess for illegal drugs and for adherence to a controlled substance regimen, at a frequency based on the patient's risk of misuse.",
        "Four screens have been done in the last six months, all consistent, in a worker at low risk.",
        "The worker is starting an opioid trial, and no baseline screen is on file.",
    ),
    "cbt": (
        "Cognitive behavioral therapy is recommended with an initial trial of three to four psychotherapy visits over two weeks, and up to six to ten visits over five to six weeks with evidence of objective functional improvement.",
        "",
        "A psychological evaluation identifies fear-avoidance beliefs, and the six visits requested fit within the guideline.",
    ),
    "consult": (
        "A specialist referral is appropriate when a diagnosis is uncertain or extremely complex, when psychosocial factors are present, or when the plan of care may benefit from additional expertise.",
        "",
        "The lumbar radiculopathy has not improved after six months of conservative care, and the treating physician asks whether surgery is indicated.",
    ),
    "gym": (
        "Gym memberships are not recommended as a medical prescription unless a documented home exercise program with periodic assessment has failed and there is a need for equipment; treatment needs to be monitored by medical professionals.",
        "No failed home program is documented and no medical supervision is planned.",
        "",
    ),
}

SOURCE_NAMES = {
    "MTUS": "the MTUS Chronic Pain Medical Treatment Guidelines",
    "ACOEM": "the ACOEM Practice Guidelines",
    "ODG": "the Official Disability Guidelines",
}

UPHELD_ENDINGS = [
    "Medical necessity for {item} has not been established, and the request is not medically necessary.",
    "Therefore the request for {item} is not medically necessary.",
    "As the guideline criteria are not met, {item} is not medically necessary.",
    "The request is not medically necessary.",
]
OVERTURNED_ENDINGS = [
    "The request for {item} is medically necessary.",
    "The guideline criteria are met, and {item} is medically necessary.",
    "Accordingly, the request is medically necessary.",
]

# ------------------------------------------------------------------------------------------------
# Cases. Each item: (kind, item as requested, decision, sources cited by the reviewer).
# Layouts: "std" = 2014 onward (header True/False), "max" = 2013 MAXIMUS form ("A" with the labels
# of the later letters, "B" the Notice variant with sentences), "pro" = MEDICAL PROFESSIONAL REVIEW.

def D(y, m, d):
    return dt.date(y, m, d)


CASES = [
    dict(layout="std", header=True, case="CM14-0104871", decided=D(2014, 8, 19), assigned=D(2014, 7, 2),
         injured=D(2011, 4, 28), ur=D(2014, 6, 11), age=53, sex="female", job="medical records clerk",
         specialties=["Family Practice"], states=["Texas", "California"], cred="lines",
         items=[("carisoprodol", "Soma 350 MG Qty 15", "Upheld", ["MTUS"]),
                ("hydrocodone", "Norco 10/325mg #60", "Upheld", ["MTUS"])],
         quirks={"glue", "qtyglue", "furniture"}),
    dict(layout="std", header=True, case="CM14-0151206", decided=D(2014, 11, 3), assigned=D(2014, 9, 26),
         injured=D(2012, 7, 19), ur=D(2014, 9, 8), age=47, sex="male", job="delivery driver",
         specialties=["Anesthesiology", "Pain Management"], states=["California"], cred="prose-glued",
         items=[("esi", "Lumbar epidural steroid injection L4-L5", "Overturned", ["MTUS"])],
         quirks={"hyphen", "curly"}),
    dict(layout="std", header=False, injured=D(2013, 1, 9), injury_style="slash2", age=38, sex="female",
         job="certified nursing assistant", specialties=["Physical Medicine & Rehabilitation"],
         spec_text=["Physical Medicine and Rehabilitation"], states=["California"], cred="lines",
         items=[("carisoprodol", "Carisoprodol 350mg #60", "Upheld", ["MTUS", "ODG"]),
                ("omeprazole", "Omeprazole 20mg #60", "Upheld", ["MTUS"])],
         encoding="cp1252", quirks={"curly", "tm", "glue"}),
    dict(layout="std", header=True, case="CM15-0032518", decided=D(2015, 3, 12), assigned=D(2015, 2, 20),
         injured=D(2014, 10, 2), ur=D(2015, 2, 3), age=44, sex="male", job="roofer",
         specialties=["Orthopedic Surgery"], spec_text=["Orthopaedic Surgery"], states=["California", "Nevada"],
         cred="lines", items=[("mri", "MRI of the lumbar spine without contrast", "Overturned", ["ACOEM", "ODG"])],
         crlf=True, quirks={"furniture"}),
    dict(layout="max", variant="A", case="CM13-0021847", decided=D(2013, 11, 26), injured=D(2012, 2, 14),
         ur=D(2013, 8, 7), age=59, sex="female", job="school cafeteria worker",
         specialties=["Internal Medicine"], states=["California"], cred="lines",
         items=[("omeprazole", "Omeprazole 20mg #60", "Upheld", ["MTUS"]),
                ("naproxen", "Naproxen sodium 550mg #60", "Overturned", ["MTUS"])],
         quirks={"hyphen"}),
    dict(layout="pro", case="CM16-0044390", injured=D(2015, 5, 30), injury_style="long", age=31, sex="male",
         job="warehouse associate", specialties=["Chiropractic"], states=["California"], cred="lines",
         items=[("pt", "Physical therapy 2x6 for the lumbar spine", "Upheld", ["MTUS"])],
         quirks=set()),
    dict(layout="std", header=True, case="CM16-0087312", decided=D(2016, 5, 24), assigned=D(2016, 4, 29),
         injured=D(2009, 9, 16), ur=D(2016, 4, 12), age=56, sex="female", job="bank teller",
         specialties=["Psychiatry"], states=["California", "Oregon"], cred="lines",
         items=[("alprazolam", "Xanax 1mg #60", "Upheld", ["MTUS"]),
                ("zolpidem", "Ambien 10mg #30", "Upheld", ["ODG"]),
                ("duloxetine", "Cymbalta 60mg #30", "Overturned", ["MTUS"])],
         quirks={"furniture", "curly", "glue"}),
    dict(layout="std", header=False, injured=D(2010, 3, 3), injury_style="dash", age=None, sex=None,
         job=None, specialties=["Anesthesiology"], states=["California"], cred="prose",
         items=[("oxycodone_apap", "Percocet 10/325 MG #90", "Upheld", ["MTUS"])],
         quirks={"furniture"}),
    dict(layout="std", header=True, case="CM17-0012977", decided=D(2017, 2, 7), assigned=D(2017, 1, 18),
         injured=D(2015, 12, 4), ur=D(2017, 1, 3), age=41, sex="male", job="forklift operator",
         specialties=["Preventive Medicine", "Occupational Medicine"], states=["Texas", "New York", "California"],
         cred="lines",
         items=[("compound", "Flurbiprofen/Cyclobenzaprine cream 20%/4% 180gm", "Upheld", ["MTUS"]),
                ("terocin", "Terocin patch #30", "Upheld", ["MTUS", "ODG"])],
         encoding="cp1252", quirks={"curly", "tm", "nbsp"}),
    dict(layout="std", header=True, case="CM18-0066521", decided=D(2018, 4, 30), assigned=D(2018, 4, 11),
         injured=D(2008, 6, 2), ur=D(2018, 3, 27), age=62, sex="male", job="heavy equipment mechanic",
         specialties=["Neurological Surgery"], spec_text=["Neurosurgery"], states=["California"], cred="prose",
         items=[("scs", "Spinal cord stimulator trial", "Overturned", ["MTUS"])],
         quirks={"hyphen", "furniture"}),
    dict(layout="max", variant="B", case="CM13-0035502", decided=D(2013, 12, 17), injured=D(2011, 10, 21),
         ur=D(2013, 9, 19), age=49, sex="male", job="correctional officer",
         specialties=["Occupational Medicine"], states=["California"], cred="prose",
         items=[("tramadol", "Tramadol ER 150mg #30", "Overturned", ["MTUS"]),
                ("uds", "Urine drug screen", "Overturned", ["MTUS", "ODG"])],
         quirks={"curly"}),
    dict(layout="pro", case="CM17-0091144", injured=D(2016, 1, 12), injury_style="slash4", age=45, sex="female",
         job="flight attendant", specialties=["Orthopedic Surgery"], states=["California", "Arizona"],
         cred="prose",
         items=[("shoulder_scope", "Right shoulder arthroscopy with subacromial decompression", "Upheld", ["ACOEM"]),
                ("postop_pt", "Post-operative physical therapy 12 sessions", "Upheld", ["MTUS"])],
         encoding="cp1252", quirks={"curly", "hyphen"}),
    dict(layout="std", header=True, case="CM19-0023380", decided=D(2019, 2, 15), assigned=D(2019, 1, 30),
         injured=D(2017, 8, 8), ur=D(2019, 1, 14), age=36, sex="female", job="hairstylist",
         specialties=["Acupuncture"], states=["California"], cred="lines",
         items=[("acupuncture", "Acupuncture 2x3 for the cervical spine", "Overturned", ["MTUS"])],
         quirks={"nbsp"}),
    dict(layout="std", header=False, injured=D(2014, 12, 22), injury_style="long", age=50, sex="male",
         job="carpenter", specialties=["Neurology"], states=["Florida", "California"], cred="prose",
         items=[("gabapentin", "Gabapentin 600mg #90", "Overturned", ["MTUS"]),
                ("lidoderm", "Lidoderm 5% patch #30", "Upheld", ["MTUS"])],
         quirks={"glue", "qtyglue", "hyphen"}),
    dict(layout="std", header=True, case="CM20-0018254", decided=D(2020, 3, 2), assigned=D(2020, 2, 13),
         injured=D(2018, 11, 5), ur=D(2020, 1, 29), age=58, sex="female", job="data entry operator",
         specialties=["Hand Surgery", "Plastic Surgery"], states=["California"], cred="lines",
         items=[("emg", "EMG/NCV of the bilateral upper extremities", "Upheld", ["ACOEM", "ODG"]),
                ("ctr", "Right carpal tunnel release", "Upheld", ["ACOEM"])],
         quirks={"furniture"}),
    dict(layout="std", header=True, case="CM21-0040718", decided=D(2021, 4, 9), assigned=D(2021, 3, 22),
         injured=D(2006, 2, 17), ur=D(2021, 3, 5), age=64, sex="male", job="longshoreman",
         specialties=["Pain Management"], states=["California", "Washington"], cred="lines",
         items=[("oxycodone", "OxyContin 20mg #60", "Upheld", ["MTUS", "ODG"]),
                ("morphine", "MS Contin 15mg #60", "Upheld", ["MTUS"]),
                ("senokot", "Senokot-S #60", "Upheld", ["MTUS"]),
                ("ondansetron", "Zofran 8mg #30", "Upheld", ["ODG"])],
         quirks={"furniture", "curly", "glue"}),
    dict(layout="max", variant="A", case="CM13-0049915", decided=None, injured=D(2010, 5, 25),
         ur=D(2013, 10, 1), age=42, sex="male", job="auto parts salesman",
         specialties=["Family Practice"], states=["Pennsylvania", "California"], cred="lines",
         items=[("cyclobenzaprine", "Flexeril 7.5mg #90", "Upheld", ["MTUS"]),
                ("chiro", "Chiropractic treatment 2x4 for the low back", "Overturned", ["MTUS"]),
                ("tens", "TENS unit purchase", "Upheld", ["MTUS"])],
         crlf=True, quirks={"furniture"}),
    dict(layout="std", header=True, case="CM22-0007263", decided=D(2022, 1, 28), assigned=D(2022, 1, 12),
         injured=D(2019, 6, 14), ur=D(2021, 12, 29), age=39, sex="female", job="retail stocker",
         specialties=["Physical Medicine & Rehabilitation"], states=["California"], cred="prose",
         items=[("frp", "Functional restoration program, 80 hours", "Overturned", ["MTUS"])],
         quirks={"hyphen"}),
    dict(layout="pro", case="CM18-0120056", injured=D(2016, 9, 16), injury_style="slash2", age=60, sex="female",
         job="seamstress", specialties=["Rheumatology"], states=["California", "Colorado"], cred="lines",
         items=[("pregabalin", "Lyrica 75mg #60", "Upheld", ["MTUS"]),
                ("celecoxib", "Celebrex 200mg #30", "Overturned", ["MTUS"])],
         quirks={"glue"}),
    dict(layout="std", header=False, injured=D(2012, 4, 30), injury_style="slash4", age=46, sex="male",
         job="line cook", specialties=["Family Practice"], spec_text=["Family Medicine"], states=["California"],
         cred="prose",
         items=[("hydrocodone", "Hydrocodone/APAP 10/325mg #120", "Upheld", ["MTUS", "ODG"]),
                ("tizanidine", "Zanaflex 4mg #60", "Upheld", ["MTUS"])],
         encoding="cp1252", quirks={"curly", "furniture"}),
    dict(layout="std", header=True, case="CM23-0031190", decided=D(2023, 3, 20), assigned=D(2023, 3, 1),
         injured=D(2020, 10, 13), ur=D(2023, 2, 14), age=52, sex="female", job="pharmacy technician",
         specialties=["Anesthesiology"], states=["California", "Illinois"], cred="lines",
         items=[("esi", "Cervical epidural steroid injection C5-6", "Upheld", ["MTUS"]),
                ("hwave", "Home H-wave device purchase", "Upheld", ["MTUS"])],
         quirks={"hyphen", "nbsp"}),
    dict(layout="std", header=True, case="CM24-0009921", decided=D(2024, 2, 6), assigned=D(2024, 1, 19),
         injured=D(2021, 7, 1), ur=D(2024, 1, 5), age=67, sex="male", job="security guard",
         specialties=["Internal Medicine"], states=["California"], cred="lines",
         items=[("apap_codeine", "Tylenol #3 #60", "Overturned", ["MTUS"]),
                ("diclofenac_gel", "Voltaren gel 1% 100g", "Overturned", ["MTUS"])],
         crlf=True, quirks={"curly"}),
    dict(layout="max", variant="B", case="CM13-0060283", decided=D(2013, 12, 30), injured=D(2012, 8, 27),
         ur=D(2013, 10, 22), age=35, sex="female", job="office manager",
         specialties=["Neurology"], states=["California", "Michigan"], cred="lines",
         items=[("fioricet", "Fioricet #30", "Upheld", ["MTUS"]),
                ("sumatriptan", "Imitrex 50mg #9", "Overturned", ["ODG"])],
         encoding="cp1252", quirks={"curly"}),
    dict(layout="std", header=True, case="CM16-0150347", decided=D(2016, 9, 8), assigned=D(2016, 8, 22),
         injured=D(2016, 2, 2), ur=D(2016, 8, 4), age=33, sex="male", job="soccer coach",
         specialties=["Orthopedic Surgery", "Sports Medicine"], spec_text=["Orthopaedic Surgery", "Sports Medicine"],
         states=["California"], cred="prose-glued",
         items=[("knee_scope", "Left knee arthroscopy with partial medial meniscectomy", "Overturned", ["ACOEM", "ODG"]),
                ("coldunit", "Hot/cold therapy unit rental, 7 days", "Overturned", ["ODG"])],
         quirks={"furniture", "hyphen"}),
    dict(layout="std", header=False, injured=D(2015, 3, 18), injury_style="long", age=None, sex=None, job=None,
         specialties=["Neurological Surgery", "Spine Surgery"], states=["California"], cred="prose",
         items=[("acdf", "Anterior cervical discectomy and fusion C5-6", "Upheld", ["ACOEM"]),
                ("collar", "Post-operative cervical collar", "Upheld", ["ODG"])],
         quirks={"hyphen"}),
    dict(layout="pro", case="CM19-0075530", injured=D(2013, 5, 6), injury_style="dash", age=70, sex="female",
         job="retired school bus driver", specialties=["Internal Medicine", "Psychology"], states=["California"],
         cred="lines",
         items=[("homehealth", "Home health care 4 hours per day, 5 days per week", "Upheld", ["MTUS"]),
                ("cbt", "Cognitive behavioral therapy 6 sessions", "Overturned", ["MTUS"])],
         quirks={"curly"}),
    dict(layout="std", header=True, case="CM15-0187404", decided=D(2015, 10, 1), assigned=D(2015, 9, 14),
         injured=D(2010, 1, 29), ur=D(2015, 8, 31), age=48, sex="female", job="housekeeper",
         specialties=["Anesthesiology", "Pain Management"], spec_text=["Anesthesiology", "Pain Medicine"],
         states=["California", "Texas"], cred="lines",
         items=[("buprenorphine", "Butrans 10mcg/hr patch #4", "Upheld", ["MTUS"]),
                ("tapentadol", "Nucynta 50mg #90", "Upheld", ["MTUS", "ODG"])],
         quirks={"glue"}),
    dict(layout="std", header=True, case="CM17-0102466", decided=D(2017, 7, 11), assigned=D(2017, 6, 23),
         injured=D(2016, 11, 11), ur=D(2017, 6, 6), age=29, sex="male", job="mover",
         specialties=["Emergency Medicine"], states=["California"], cred="lines",
         items=[("medrol", "Medrol Dosepak 4mg #21", "Upheld", ["ODG"]),
                ("mri_shoulder", "MRI of the right shoulder", "Unknown", ["ACOEM"])],
         unreadable=True, quirks=set()),
    dict(layout="std", header=False, injured=D(2011, 8, 15), injury_style="slash2", age=57, sex="male",
         job="electrician", specialties=["Psychiatry"], states=["California", "New York"], cred="prose",
         items=[("trazodone", "Trazodone 50mg #30", "Overturned", ["ODG"]),
                ("omeprazole", "Prilosec 20mg #30", "Upheld", ["MTUS", "ODG"])],
         quirks={"furniture", "nbsp"}),
    dict(layout="std", header=True, case="CM18-0143377", decided=D(2018, 9, 21), assigned=D(2018, 9, 4),
         injured=D(2014, 4, 4), ur=D(2018, 8, 20), age=55, sex="female", job="elementary school teacher",
         specialties=["Anesthesiology", "Pain Management"], states=["California", "Arizona"], cred="prose-comma",
         items=[("facet", "Bilateral L4-L5 and L5-S1 medial branch blocks", "Upheld", ["ACOEM", "ODG"]),
                ("rfa", "Radiofrequency ablation L4-S1", "Upheld", ["ODG"])],
         quirks={"curly", "hyphen"}),
    dict(layout="max", variant="B", case="CM13-0071134", decided=None, injured=D(2012, 12, 3), ur=D(2013, 11, 4),
         age=51, sex="female", job="assembly line worker", specialties=["Physical Medicine & Rehabilitation"],
         spec_text=["PM&R"], states=["California"], cred="prose",
         items=[("aquatic", "Aquatic therapy 8 sessions", "Upheld", ["MTUS"]),
                ("pantoprazole", "Protonix 40mg #30", "Upheld", ["MTUS"])],
         quirks={"furniture"}),
    dict(layout="std", header=True, case="CM19-0118042", decided=D(2019, 8, 2), assigned=D(2019, 7, 16),
         injured=D(2018, 2, 26), ur=D(2019, 7, 1), age=43, sex="female", job="court reporter",
         specialties=["Psychiatry"], states=["California"], cred="lines",
         items=[("alprazolam", "alprazolam 0.5mg #45", "Upheld", ["MTUS"]),
                ("clonazepam", "Klonopin 1mg #60", "Overturned", ["MTUS", "ODG"])],
         encoding="cp1252", crlf=True, quirks={"curly", "glue"}),
    dict(layout="pro", case="CM20-0061795", injured=D(2019, 10, 31), injury_style="long", age=27, sex="male",
         job="stagehand", specialties=["Sports Medicine"], states=["California", "Hawaii"], cred="prose",
         items=[("xray", "X-rays of the left knee, 3 views", "Overturned", ["ACOEM"]),
                ("pt", "Physical therapy 8 sessions for the left knee", "Overturned", ["MTUS"])],
         crlf=True, quirks={"hyphen"}),
    dict(layout="std", header=True, case="CM20-0133608", decided=D(2020, 9, 17), assigned=D(2020, 8, 31),
         injured=D(2019, 3, 7), ur=D(2020, 8, 17), age=40, sex="male", job="solar panel installer",
         specialties=["Occupational Medicine"], states=["California", "Nevada"], cred="prose",
         items=[("gym", "Gym membership for 6 months", "Upheld", ["ODG"]),
                ("consult", "Orthopedic consultation for the lumbar spine", "Overturned", ["ACOEM"])],
         quirks={"furniture"}),
    dict(layout="std", header=False, injured=D(2014, 9, 16), injury_style="slash2", age=61, sex="female",
         job="hotel housekeeper", specialties=["Family Practice"], states=["California"], cred="lines",
         items=[("tramadol", "Ultram 50mg #120", "Upheld", ["MTUS"]),
                ("meloxicam", "Mobic 15mg #30", "Overturned", ["MTUS"]),
                ("duexis", "Duexis 800/26.6mg #90", "Upheld", ["MTUS", "ODG"]),
                ("uds", "Urine toxicology screen", "Upheld", ["MTUS"])],
         encoding="cp1252", quirks={"curly", "tm", "furniture"}),
    dict(layout="std", header=True, case="CM21-0099412", decided=D(2021, 10, 5), assigned=D(2021, 9, 16),
         injured=D(2017, 5, 22), ur=D(2021, 9, 1), age=61, sex="male", job="utility lineman",
         specialties=["Orthopedic Surgery"], states=["California"], cred="lines",
         items=[("tka", "Total knee replacement, right", "Overturned", ["ODG"])],
         quirks={"hyphen"}),
    dict(layout="max", variant="A", case="CM13-0011690", decided=D(2013, 9, 30), injured=D(2012, 3, 19),
         ur=D(2013, 7, 12), age=45, sex="male", job="construction laborer",
         specialties=["Physical Medicine & Rehabilitation"], states=["California"], cred="lines",
         items=[("cyclobenzaprine", "Cyclobenzaprine 10mg #60", "Upheld", ["MTUS"]),
                ("mri_neck", "MRI of the cervical spine", "Upheld", ["ACOEM"])],
         encoding="cp1252", quirks={"curly", "glue"}),
    dict(layout="std", header=True, case="CM22-0114850", decided=D(2022, 8, 25), assigned=D(2022, 8, 8),
         injured=D(2015, 7, 7), ur=D(2022, 7, 26), age=54, sex="female", job="postal carrier",
         specialties=["Pain Management"], states=["California", "Oregon"], cred="lines",
         items=[("lidopro", "LidoPro lotion 121gm", "Upheld", ["MTUS"]),
                ("hydrocodone_er", "Hysingla ER 30mg #30", "Upheld", ["MTUS", "ODG"])],
         quirks={"furniture", "curly"}),
    dict(layout="std", header=True, case="CM24-0052276", decided=D(2024, 5, 14), assigned=D(2024, 4, 25),
         injured=D(2023, 1, 20), ur=D(2024, 4, 10), age=34, sex="female", job="veterinary technician",
         specialties=["Internal Medicine"], states=["California"], cred="lines",
         items=[("hydrocodone", "Norco 5/325mg #30", "Overturned", ["MTUS"]),
                ("pt", "Physical therapy 6 sessions for the neck", "Upheld", ["MTUS"])],
         pdf=True, quirks=set()),
    # Two 2013 letters whose decisions use the "has determined" formula, with words run together and
    # statements wrapped over lines, and whose workers are known only by birthdates: one birthdate
    # (the age is counted to the decision date), and two that disagree (no age, a flag).
    dict(layout="max", variant="A", case="CM13-0082417", decided=D(2013, 12, 9), injured=D(2011, 6, 13),
         ur=D(2013, 9, 27), age=None, dob=[D(1961, 8, 22)], sex="female", job="home health aide",
         specialties=["Neurology"], states=["California"], cred="lines",
         items=[("gabapentin", "Gabapentin 600mg #90", "Overturned", ["MTUS"]),
                ("mri", "MRI of the lumbar spine", "Upheld", ["ACOEM"]),
                ("tramadol", "Tramadol 50mg #60", "Upheld", ["MTUS"])],
         statements=[["1. MAXIMUS Federal Services, Inc.",
                       "has determined the request for Gabapentin 600mg #90 is medically necessary and appropriate."],
                     ["2. MAXIMUS Federal Services, Inc. has determined the requested MRI of the lumbar spine is",
                      "notmedically necessary andappropriate."],
                     ["3. Tramadol 50mg #60 is not medicallynecessary and appropriate."]],
         quirks={"hyphen"}),
    dict(layout="max", variant="B", case="CM13-0090356", decided=D(2013, 11, 14), injured=D(2012, 1, 30),
         ur=D(2013, 8, 30), age=None, dob=[D(1957, 4, 3), D(1959, 4, 3)], sex="male", job="warehouse supervisor",
         specialties=["Occupational Medicine"], states=["California", "Nevada"], cred="prose",
         items=[("tizanidine", "Tizanidine 4mg #90", "Upheld", ["MTUS"]),
                ("uds", "Urine drug screen", "Overturned", ["MTUS"])],
         statements=[["MAXIMUS Federal Services, Inc. has determined the requested Tizanidine 4mg #90 is not medically",
                      "necessary."],
                     ["MAXIMUS Federal Services, Inc.",
                      "has determined Urine drug screen ismedically necessary and appropriate."]],
         quirks={"curly"}),
]

# ------------------------------------------------------------------------------------------------
# Prose pools, written for these samples.

MECHANISMS = [
    "lifting a pallet of bottled water onto a hand truck", "stepping off the rear of a delivery truck",
    "restraining an agitated patient", "slipping on a wet floor in the stockroom",
    "falling from the third rung of a ladder", "pulling a heavy cart up a ramp",
    "twisting with a sheet of drywall in both hands", "driving a company van that was struck from behind",
    "doing overhead work on a ceiling grid", "catching a falling box of files",
]
SPINE = {
    "lumbar": ("low back", ["lumbar disc protrusion at L4-L5", "left lumbar radiculopathy", "lumbar facet arthropathy",
                            "chronic lumbosacral sprain", "degenerative disc disease at L5-S1"]),
    "cervical": ("neck", ["cervical radiculopathy at C5-6", "cervical spondylosis", "cervicogenic headaches",
                          "cervical disc bulge at C6-7"]),
    "shoulder": ("right shoulder", ["right shoulder impingement syndrome", "rotator cuff tendinosis",
                                    "partial-thickness supraspinatus tear"]),
    "knee": ("left knee", ["tear of the medial meniscus", "chondromalacia patellae", "osteoarthritis of the knee"]),
    "wrist": ("both wrists", ["bilateral carpal tunnel syndrome", "flexor tenosynovitis of the right wrist"]),
    "head": ("head", ["post-traumatic headaches", "migraine without aura", "post-concussion syndrome"]),
}
REGION_OF_KIND = {
    "mri": "lumbar", "mri_shoulder": "shoulder", "mri_neck": "cervical", "esi": "lumbar", "facet": "lumbar", "rfa": "lumbar", "scs": "lumbar", "frp": "lumbar",
    "chiro": "lumbar", "aquatic": "lumbar", "pt": "lumbar", "acdf": "cervical", "collar": "cervical",
    "acupuncture": "cervical", "shoulder_scope": "shoulder", "postop_pt": "shoulder", "knee_scope": "knee",
    "coldunit": "knee", "xray": "knee", "tka": "knee", "emg": "wrist", "ctr": "wrist", "fioricet": "head",
    "sumatriptan": "head",
}
EXAMS = {
    "lumbar": ["Examination showed tenderness over the lower lumbar paraspinal muscles with guarding and reduced range of motion.",
               "On examination there was tenderness to palpation, a positive straight leg raise on the left at 45 degrees and decreased sensation along the lateral calf.",
               "The physical examination documented restricted lumbar flexion, muscle spasm and a mildly antalgic gait.",
               "Strength was 5/5 throughout, reflexes were symmetric, and there was diffuse low back tenderness without a focal neurologic deficit."],
    "cervical": ["Cervical rotation was limited to 50 degrees on each side, with trapezius tenderness and a positive Spurling's test on the right.",
                 "The neck was tender from C4 to C7, with reduced extension and diminished sensation over the thumb and index finger."],
    "shoulder": ["The shoulder examination showed a painful arc between 70 and 120 degrees, positive Neer and Hawkins signs and 4/5 external rotation strength."],
    "knee": ["The examining physician noted medial joint line tenderness, a small effusion and a positive McMurray test."],
    "wrist": ["Examination revealed a positive Tinel's sign at both wrists and a positive Phalen's test on the right."],
    "head": ["The neurologic examination was non-focal; the headache diary records three to four attacks a month with light sensitivity."],
}
TREATMENTS_TO_DATE = [
    "Treatment to date has included physical therapy, a home exercise program, activity modification and medications.",
    "Prior care has consisted of chiropractic sessions, two courses of physical therapy and oral medications.",
    "The worker has been treated with medications, a TENS unit, acupuncture and work restrictions.",
    "Care so far has included injections, physical therapy, and medications managed by a pain specialist.",
]
WORK = [
    "The worker has not returned to work since the injury.",
    "The worker is working modified duty with a 20-pound lifting restriction.",
    "The worker returned to full duty but reports increasing pain by the end of each shift.",
    "The worker is on temporary total disability.",
]

HOW_MADE = (
    "MAXIMUS Federal Services assigned this case to an expert reviewer who has no affiliation with the employer, "
    "the employee, the providers or the claims administrator. The reviewer has practised clinically for more than "
    "five years, still works at least 24 hours a week in active practice, and was chosen for clinical experience, "
    "education and expertise in a specialty that evaluates or treats the condition and the disputed services. The "
    "reviewer knows the governing laws and regulations, including the hierarchy of evidence that applies to "
    "Independent Medical Review."
)


def fmt_date(d, style):
    if style == "slash4":
        return d.strftime("%m/%d/%Y")
    if style == "slash2":
        return f"{d.month}/{d.day}/{d.strftime('%y')}"
    if style == "dash":
        return f"{d.month}-{d.day}-{d.year}"
    return f"{d.strftime('%B')} {d.day}, {d.year}"


def header_date(d):
    return d.strftime("%m/%d/%Y")


class Writer:
    """Builds the text of one letter from its case."""

    def __init__(self, index, case):
        self.i = index
        self.c = case
        self.r = random.Random(7919 * (index + 1))
        if case.get("decided"):
            self.visit = case["decided"] - dt.timedelta(days=70)
        elif case.get("ur"):
            self.visit = case["ur"] - dt.timedelta(days=25)
        else:
            self.visit = case["injured"] + dt.timedelta(days=300 + 7 * index)
        self.since = case["injured"] + dt.timedelta(days=120)

    # -- pieces -----------------------------------------------------------------------------------
    def pronoun(self):
        return {"female": ("she", "her"), "male": ("he", "his")}.get(self.c.get("sex"), ("the worker", "the worker's"))

    def sex_word(self):
        sex = self.c["sex"]
        if self.i % 7 == 3:
            return {"female": "woman", "male": "man"}[sex]
        return sex

    def injury_text(self):
        style = self.c.get("injury_style") or ["slash4", "slash2", "long", "dash"][self.i % 4]
        return fmt_date(self.c["injured"], style)

    def opener(self):
        c = self.c
        inj = self.injury_text()
        if c.get("dob"):
            mech = self.r.choice(MECHANISMS)
            return f"The injured worker is a {c['sex']} {c['job']} (DOB: {header_date(c['dob'][0])}) who was injured at work on {inj} while {mech}."
        if c["age"] is None:
            return self.r.choice([
                f"The applicant is a represented employee of a county transit agency who reported an industrial injury on {inj}.",
                f"This case concerns a represented employee with a date of injury of {inj}; the claim covers the neck and both upper extremities.",
            ])
        age, sx, job = c["age"], self.sex_word(), c["job"]
        mech = self.r.choice(MECHANISMS)
        who = f"{sx} {job}" if sx in ("female", "male") else sx
        forms = [
            f"The patient is a {age}-year-old {who} who was injured at work on {inj} while {mech}.",
            f"This {age} year old {who} reported an industrial injury on {inj}, attributed to {mech}.",
            f"Records describe a {age} year old {who} whose date of injury is {inj}.",
            f"The injured worker, a {age}-year-old {sx}, sustained a work-related injury on {inj} when {mech}.",
            f"Per the submitted records, this is a {age} year old {sx} with a date of injury of {inj}; the worker was employed as a {job}.",
        ]
        return forms[self.i % len(forms)]

    def regions(self):
        seen = []
        for kind, *_ in self.c["items"]:
            reg = REGION_OF_KIND.get(kind, "lumbar")
            if reg not in seen:
                seen.append(reg)
        return seen

    def summary(self):
        c, r = self.c, self.r
        s = [self.opener()]
        regs = self.regions()
        diags = []
        for reg in regs:
            diags += r.sample(SPINE[reg][1], 2 if len(SPINE[reg][1]) > 2 else 1)
        if any(k in ("omeprazole", "pantoprazole", "duexis") for k, *_ in c["items"]):
            diags.append("medication-induced dyspepsia")
        if any(k in ("zolpidem", "trazodone", "alprazolam", "clonazepam") for k, *_ in c["items"]):
            diags.append("anxiety and insomnia secondary to chronic pain")
        s.append(f"The diagnoses include {', '.join(diags[:-1])} and {diags[-1]}." if len(diags) > 1 else f"The diagnoses include {diags[0]}.")
        where = " and ".join(SPINE[reg][0] for reg in regs)
        visit = fmt_date(self.visit, ["slash4", "long", "slash2", "dash"][(self.i + 1) % 4])
        he = self.pronoun()[0]
        s.append(f"At the visit of {visit}, {he} reported {where} pain rated {4 + self.i % 6}/10, worse with prolonged sitting and lifting.")
        exams = EXAMS[regs[0]]
        s.append(exams[self.i % len(exams)])
        s.append(TREATMENTS_TO_DATE[self.i % len(TREATMENTS_TO_DATE)])
        meds = [it[1].split(" ")[0] for it in c["items"] if KINDS[it[0]][0]]
        if meds:
            listed = ", ".join(m.lower() if (self.i + j) % 3 == 0 else m for j, m in enumerate(meds))
            if "tm" in c["quirks"]:
                listed = listed.replace(meds[0], meds[0] + TM, 1)
            s.append(f"Current medications include {listed}.")
        if c["age"] is not None or c.get("dob"):
            s.append(WORK[self.i % len(WORK)])
        if len(c.get("dob", [])) > 1:
            s.append(f"The IMR application gives the date of birth as {fmt_date(c['dob'][1], 'long')}.")
        requested = "; ".join(it[1] for it in c["items"])
        s.append(f"The treating physician requested authorization for {requested}, and utilization review did not certify the request.")
        if "glue" in c["quirks"]:
            # A line join lost the space after a full stop ("injury.The").
            return s[0] + s[1] + " " + " ".join(s[2:])
        return " ".join(s)

    def cite(self, kind, source, short=False):
        topic, pages = CITES[kind][source]
        r = self.r
        if source == "MTUS":
            if kind == "acupuncture":
                return "Decision based on MTUS Acupuncture Medical Treatment Guidelines."
            if kind == "postop_pt":
                return f"Decision based on MTUS Postsurgical Treatment Guidelines, {topic.split(', ')[1]}, Page(s): {pages}."
            if short:
                return "Decision based on MTUS Chronic Pain Medical Treatment Guidelines."
            name = r.choice(["MTUS Chronic Pain Medical Treatment Guidelines", "California MTUS, Chronic Pain Medical Treatment Guidelines (2009),", "MTUS Chronic Pain Treatment Guidelines"])
            pg = f" Page(s): {pages}." if self.i % 2 == 0 else f", page {pages.split('-')[0]}."
            return f"Decision based on {name} {topic}{pg}"
        if source == "ACOEM":
            if short:
                return "Decision based on MTUS ACOEM Practice Guidelines."
            name = r.choice(["MTUS ACOEM Practice Guidelines, 2nd Edition (2004),", "American College of Occupational and Environmental Medicine (ACOEM), 2nd Edition, (2004),"])
            return f"Decision based on {name} {topic}, Page(s): {pages}."
        if source == "ODG":
            if short:
                return "Decision based on Official Disability Guidelines (ODG)."
            name = r.choice(["Non-MTUS Citation Official Disability Guidelines (ODG)", "Official Disability Guidelines (ODG)"])
            return f"Decision based on {name}, {topic}."
        raise ValueError(source)

    def maximus_cites(self, kind, sources):
        parts = [self.cite(kind, s) for s in sources]
        if "glue" in self.c["quirks"] and kind == "carisoprodol" and len(parts) == 1:
            # Two topics of one citation glued at a line join ("page 29Muscle relaxants").
            parts = ["Decision based on MTUS Chronic Pain Treatment Guidelines Carisoprodol (Soma), page 29Muscle relaxants (for pain), page 63."]
        return " ".join(parts)

    def rationale(self, kind, item, decision):
        c, r = self.c, self.r
        guide, against, favour = ARGUMENTS[kind]
        fill = dict(item=item, visit=fmt_date(self.visit, "slash2"), since=fmt_date(self.since, "long"))
        src = SOURCE_NAMES[self.cited_first(kind)]
        if "curly" in c["quirks"] and self.i % 2 == 0:
            opening = f"{src[0].upper() + src[1:]} state: \u201c{guide}\u201d"
        else:
            opening = r.choice([f"{src[0].upper() + src[1:]} address this request. {guide}",
                                f"This request is reviewed against {src}. {guide}",
                                f"Per {src}: {guide}"])
        if "qtyglue" in c["quirks"] and item == c["items"][0][1]:
            # The line join swallowed the space after the quantity ("Qty 15According").
            opening = f"Request: {item}{guide}"
        s = [opening]
        if decision == "Upheld":
            s.append(against.format(**fill))
            s.append(r.choice(UPHELD_ENDINGS).format(item=item))
        else:
            s.append(favour.format(**fill))
            s.append(r.choice(OVERTURNED_ENDINGS).format(item=item))
        return " ".join(x for x in s if x)

    def cited_first(self, kind):
        for k, _item, _decision, sources in self.c["items"]:
            if k == kind:
                return sources[0]
        raise KeyError(kind)

    def credentials(self):
        c = self.c
        specs = c.get("spec_text", c["specialties"])
        states = c["states"]
        if c["cred"] == "lines":
            return ["The credentials of the expert reviewer:",
                    f"State(s) of Licensure: {', '.join(states)}",
                    f"Certification(s)/Specialty: {', '.join(specs)}"]
        where = " and ".join(states) if len(states) <= 2 else ", ".join(states)
        sub = f", has a subspecialty in {specs[1]}" if len(specs) > 1 else ""
        if c["cred"] == "prose-glued":
            # Line joins lost the space between a specialty and the next word.
            return [f"The expert reviewer is Board Certified in {specs[0]}{sub}and is licensed to practice in {where}."]
        if c["cred"] == "prose-comma":
            return [f"The expert reviewer is Board Certified in {specs[0]}{sub}, and is licensed to practice in {where}."]
        return [f"The expert reviewer is Board Certified in {specs[0]}{sub} and is licensed to practice in {where}."]

    def credential_paragraphs(self):
        # The two-line form keeps its lines; prose wraps like any sentence, but is never hyphenated.
        lines = self.credentials()
        if self.c["cred"] == "lines":
            return [("l", line) for line in lines]
        return [("q", line) for line in lines]

    def outcome_line(self, item, decision):
        if self.c.get("unreadable") and decision == "Unknown":
            return f"{item}:  \ufffd\ufffd\ufffd\ufffd\ufffd\ufffd\ufffd"
        sep = NBSP if "nbsp" in self.c["quirks"] and item == self.c["items"][0][1] else " "
        return f"{item.replace(' ', sep, 1)}:  {decision}"

    # -- layouts ----------------------------------------------------------------------------------
    # Paragraph tags: "h" heading, "f" field line, "p" prose that may wrap, hyphenate and carry
    # page furniture, "l" a single line kept as is. "\x01" inside a heading forces a line break.

    def standard(self):
        c = self.c
        P = []
        if c["header"]:
            if self.i % 3 == 0:
                P += [("f", f"Case Number: {c['case']}  Date Assigned: {header_date(c['assigned'])}"),
                      ("f", f"Date of Injury: {header_date(c['injured'])}  Decision Date: {header_date(c['decided'])}"),
                      ("f", f"UR Denial Date: {header_date(c['ur'])}  Priority: Standard"),
                      ("f", f"Application Received: {header_date(c['assigned'] - dt.timedelta(days=9))}")]
            else:
                P += [("f", f"Case Number: {c['case']}"), ("f", f"Date Assigned: {header_date(c['assigned'])}"),
                      ("f", f"Date of Injury: {header_date(c['injured'])}"), ("f", f"Decision Date: {header_date(c['decided'])}"),
                      ("f", f"UR Denial Date:  {header_date(c['ur'])}"), ("f", "Priority: Standard"),
                      ("f", f"Application Received:  {header_date(c['assigned'] - dt.timedelta(days=9))}")]
            P += [("f", "Employee Name: [redacted]"), ("f", "Provider Name: [redacted]"),
                  ("f", "Treatment(s) in Dispute Listed on IMR Application:"),
                  ("p", ", ".join(it[1] for it in c["items"])), ("b", "")]
        P += [("h", "HOW THE IMR FINAL DETERMINATION WAS MADE"), ("p", HOW_MADE), ("b", "")]
        P += self.credential_paragraphs() + [("b", "")]
        P += [("h", "CLINICAL CASE SUMMARY"),
              ("p", "The expert reviewer prepared this summary from the case file and the medical records it contains:"),
              ("b", ""), ("p", self.summary()), ("b", "")]
        P += [("h", "IMR ISSUES, DECISIONS AND RATIONALES"),
              ("p", "The final determination rests on the decisions below, one for each disputed item or service:"), ("b", "")]
        for kind, item, decision, sources in c["items"]:
            P += [("l", self.outcome_line(item, decision)), ("b", "")]
            P += [("q", "Claims Administrator guideline: " + self.cite(kind, sources[0], short=True)), ("b", "")]
            P += [("q", "MAXIMUS guideline: " + self.maximus_cites(kind, sources)), ("b", "")]
            if decision == "Unknown":
                P += [("p", f"Decision rationale: The request is for {item}. The progress note describes pain with overhead reaching and a painful arc. \ufffd\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd"), ("b", "")]
            else:
                P += [("p", "Decision rationale: " + self.rationale(kind, item, decision)), ("b", "")]
        return P

    def maximus(self):
        c = self.c
        b = c["variant"] == "B"
        P = [("f", "MAXIMUS FEDERAL SERVICES, INC."), ("f", "Independent Medical Review"),
             ("f", "P.O. Box 138009"), ("f", "Sacramento, CA 95813-8009")]
        if b:
            P += [("b", ""), ("h", "Notice of Independent Medical Review Determination")]
        P += [("b", ""), ("f", f"IMR Case Number: {c['case']}" if self.i % 2 else f"Case Number: {c['case']}"),
              ("f", f"Date of Injury: {header_date(c['injured'])}"),
              ("f", f"UR Denial Date: {header_date(c['ur'])}")]
        if c.get("decided"):
            P += [("f", f"Decision Date: {header_date(c['decided'])}")]
        P += [("f", "Priority: Standard"), ("b", "")]
        docs = (f"Application of Independent Medical Review; Utilization Review Determination dated {header_date(c['ur'])}; "
                "medical records from the primary treating physician and the pain management physician; "
                "the claims administrator's correspondence.")
        if b:
            P += [("f", "Treatment(s) in Dispute Listed on IMR Application:"),
                  ("p", ", ".join(it[1] for it in c["items"])), ("b", ""),
                  ("p", "MAXIMUS Federal Services has completed the Independent Medical Review of the disputed medical treatment in the workers' compensation case above. This notice gives the final determination and the reasons for it. The determination is binding on the claims administrator."), ("b", ""),
                  ("h", "DOCUMENTS REVIEWED"), ("p", docs), ("b", ""),
                  ("h", "Medical Qualifications of the Expert Reviewer:")]
            P += self.credential_paragraphs() + [("b", "")]
            P += [("h", "Case Summary:"), ("p", self.summary()), ("b", "")]
        else:
            P += [("h", "HOW THE IMR FINAL DETERMINATION WAS MADE"), ("p", HOW_MADE), ("b", "")]
            P += self.credential_paragraphs() + [("b", "")]
            P += [("h", "DOCUMENTS REVIEWED"), ("p", docs), ("b", ""),
                  ("h", "CLINICAL CASE SUMMARY"), ("p", self.summary()), ("b", "")]
        P += [("h", "IMR DECISION(S) AND RATIONALE(S)"), ("b", "")]
        for n, (kind, item, decision, sources) in enumerate(c["items"], 1):
            if c.get("statements"):
                # Written out by the case: the formula, words run together, a line broken inside.
                P += [("l", line) for line in c["statements"][n - 1]] + [("b", "")]
            else:
                verdict = "is medically necessary and appropriate" if decision == "Overturned" else "is not medically necessary and appropriate"
                P += [("l", f"{n}. {item} {verdict}."), ("b", "")]
            if b:
                P += [("q", "The Claims Administrator based its decision on the " + self.cite(kind, sources[0], short=True)[len("Decision based on "):]), ("b", ""),
                      ("q", "The Expert Reviewer based his/her decision on the " + ", and on the ".join(self.cite(kind, s)[len("Decision based on "):].rstrip(".") for s in sources) + "."), ("b", ""),
                      ("p", "The Expert Reviewer\u2019s decision rationale: " + self.rationale(kind, item, decision)), ("b", "")]
            else:
                P += [("q", "Claims Administrator guideline: " + self.cite(kind, sources[0], short=True)), ("b", ""),
                      ("q", "MAXIMUS guideline: " + self.maximus_cites(kind, sources)), ("b", ""),
                      ("p", "Decision rationale: " + self.rationale(kind, item, decision)), ("b", "")]
        return P

    def professional(self):
        c = self.c
        P = [("h", "MEDICAL PROFESSIONAL REVIEW"), ("b", ""), ("f", f"Case Number: {c['case']}"), ("b", ""),
             ("h", "ISSUE AT DISPUTE:")]
        P += [("l", f"{n}. {it[1]}") for n, it in enumerate(c["items"], 1)] + [("b", "")]
        P += [("h", "CASE SUMMARY:"), ("p", self.summary()), ("b", "")]
        P += [("h", "DOCUMENTS REVIEWED FOR DETERMINATION:"),
              ("l", "- Application for Independent Medical Review"),
              ("l", "- Utilization review determination letter"),
              ("l", "- Progress reports of the primary treating physician"),
              ("l", "- Diagnostic imaging reports"), ("b", "")]
        P += [("h", "MEDICAL TREATMENT GUIDELINE(S) RELIED UPON BY PROFESSIONAL\x01REVIEWER AND WHY:")]
        for kind, item, decision, sources in c["items"]:
            P += [("q", f"{item}: " + " ".join(self.cite(kind, s) for s in sources)
                   + " The reviewer relied on these because they address the requested treatment directly."), ("b", "")]
        P += [("h", "RATIONALE FOR WHY THE REQUESTED TREATMENT/SERVICE IS/WAS NOT\x01MEDICALLY NECESSARY:")]
        for kind, item, decision, sources in c["items"]:
            P += [("l", f"{item}: {decision}"), ("p", self.rationale(kind, item, decision)), ("b", "")]
        P += [("h", "MEDICAL REVIEWER QUALIFICATIONS:")]
        P += self.credential_paragraphs()
        return P

    def paragraphs(self):
        return {"std": self.standard, "max": self.maximus, "pro": self.professional}[self.c["layout"]]()


# ------------------------------------------------------------------------------------------------
# Laying text out the way PDF extraction does.

def wrap(text, width, hyphenate_budget):
    """Greedy wrap; may break one long lower-case word across lines with a hyphen."""
    words = text.split(" ")
    lines, cur = [], ""
    for w in words:
        if not cur:
            cur = w
            continue
        if len(cur) + 1 + len(w) <= width:
            cur += " " + w
            continue
        room = width - len(cur) - 2
        core = w.rstrip(".,;:")
        if hyphenate_budget[0] > 0 and core.isalpha() and core.islower() and len(core) >= 9 and room >= 4:
            cut = min(room, len(core) - 4)
            lines.append(cur + " " + w[:cut] + "-")
            hyphenate_budget[0] -= 1
            cur = w[cut:]
            continue
        lines.append(cur)
        cur = w
    if cur:
        lines.append(cur)
    return lines


def layout(paragraphs, case, index):
    r = random.Random(104729 * (index + 1))
    width = 88 + index % 9
    budget = [2 if "hyphen" in case["quirks"] else 0]
    lines = []  # (text, tag)
    for tag, text in paragraphs:
        if tag == "b":
            lines.append((" ", "b"))
        elif tag == "h":
            for part in text.split("\x01"):
                lines.append((part, "h"))
        elif tag in ("p", "q"):
            for k, line in enumerate(wrap(text, width, budget if tag == "p" else [0])):
                lines.append((line, "p" if k else "p0") if tag == "p" else (line, "q"))
        else:
            lines.append((text, tag))
    if "furniture" in case["quirks"]:
        # Page breaks fall inside sentences: after line n of a wrapped paragraph comes the footer
        # and the next page's header, then the sentence goes on.
        inner = [k for k in range(1, len(lines)) if lines[k][1] == "p" and k + 1 < len(lines) and lines[k + 1][1] == "p"]
        pages = max(2, len(lines) // 45 + 1)
        picks = sorted(r.sample(inner, min(pages - 1, len(inner))))
        for n, k in enumerate(reversed(picks)):
            page = len(picks) - n + 1
            extra = [(f"Page {page - 1} of {pages}", "x")]
            if case.get("case") and (case["layout"] != "std" or case["header"]):
                extra.append((case["case"], "x"))
            lines[k + 1:k + 1] = extra
    return [t for t, _ in lines]


def pdfish(lines, case):
    text = "\n\n".join((line if line.endswith(" ") else line + " ") for line in lines) + "\n"
    if "curly" in case["quirks"]:
        text = text.replace("'", "\u2019")
    if "nbsp" in case["quirks"]:
        text = text.replace(" pain rated ", " pain rated" + NBSP, 1)
    if case.get("crlf"):
        text = text.replace("\n", "\r\n")
    return " " + text


# ------------------------------------------------------------------------------------------------
# A minimal PDF: Helvetica, one text object per page, correct cross-reference offsets.

def pdf_escape(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def make_pdf(lines, per_page=58):
    pages = [lines[k:k + per_page] for k in range(0, len(lines), per_page)]
    objects = []  # bodies, object number = index + 1
    objects.append(b"<< /Type /Catalog /Pages 2 0 R >>")
    objects.append(None)  # pages, filled in below
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
    kids = []
    for page in pages:
        ops = ["BT", "/F1 9 Tf", "12 TL", "50 750 Td"]
        for line in page:
            ops.append(f"({pdf_escape(line)}) Tj T*")
        ops.append("ET")
        stream = "\n".join(ops).encode("cp1252")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % content)
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [" + b" ".join(b"%d 0 R" % k for k in kids) + b"] /Count %d >>" % len(kids)
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n" % (len(objects) + 1)
    out += b"0000000000 65535 f \n"
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


# ------------------------------------------------------------------------------------------------

def expected_facts(rel, case):
    layout_name = {"std": "Standard", "max": "Maximus2013", "pro": "ProfessionalReview"}[case["layout"]]
    has_case = case["layout"] != "std" or case["header"]
    header = case["layout"] == "max" or (case["layout"] == "std" and case["header"])
    age, flags = case["age"], ["outcome-unreadable"] if case.get("unreadable") else []
    births = sorted(set(case.get("dob", [])))
    if len(births) > 1:
        flags.append("age-conflicting-birthdates")
    elif births:
        on = case.get("decided") or case["injured"]
        age = on.year - births[0].year - ((on.month, on.day) < (births[0].month, births[0].day))
    dets = []
    for kind, item, decision, sources in case["items"]:
        generic, cls, category = KINDS[kind]
        dets.append({"item": item, "decision": decision, "drug": generic, "drug_class": cls,
                     "category": category, "guideline_sources": list(dict.fromkeys(sources))})
    return {
        "file": rel,
        "layout": layout_name,
        "encoding": "windows-1252" if case.get("encoding") == "cp1252" else "UTF-8",
        "case_number": case.get("case") if has_case else None,
        "injury_date": case["injured"].isoformat(),
        "ur_denial_date": case["ur"].isoformat() if header else None,
        "assigned_date": case["assigned"].isoformat() if case["layout"] == "std" and case["header"] else None,
        "decision_date": case["decided"].isoformat() if header and case.get("decided") else None,
        "age": age,
        "sex": case["sex"],
        "specialties": case["specialties"],
        "states": case["states"],
        "determinations": dets,
        "flags": flags,
    }


def file_name(index, case):
    tag = case.get("case") or "nocase"
    layout_tag = {"std": "std" + ("-hdr" if case.get("header") else ""), "max": "maximus2013", "pro": "profreview"}[case["layout"]]
    return f"{index + 1:03d}-{layout_tag}-{tag}"


def write_bad_inputs():
    os.makedirs(BAD_DIR, exist_ok=True)
    recipe = (
        "Weeknight Lentil Soup\n\nServes 4. Takes about 45 minutes.\n\nIngredients:\n"
        "- 1 cup brown lentils, rinsed\n- 1 onion, diced\n- 2 carrots, diced\n- 2 celery stalks, sliced\n"
        "- 3 cloves garlic, minced\n- 1 can (14 oz) crushed tomatoes\n- 6 cups vegetable stock\n"
        "- 1 teaspoon ground cumin\n- Salt, pepper and a squeeze of lemon\n\nMethod:\n"
        "1. Soften the onion, carrot and celery in olive oil over medium heat for 8 minutes.\n"
        "2. Stir in the garlic and cumin and cook for one minute more.\n"
        "3. Add the lentils, tomatoes and stock; simmer for 30 minutes until the lentils are tender.\n"
        "4. Season, add the lemon juice, and serve with crusty bread.\n"
    )
    files = {
        "recipe.txt": recipe.encode("utf-8"),
        "empty.txt": b"",
        "whitespace.txt": b"   \n\n\t  \r\n \n\n      \n",
        "junk.bin.txt": bytes(random.Random(424242).getrandbits(8) for _ in range(4096)),
        "fake.pdf": b"%PDF-1.4\n% this file claims to be a PDF but has no objects, no xref and no trailer\n" + bytes(range(256)),
    }
    for name, data in files.items():
        with open(os.path.join(BAD_DIR, name), "wb") as f:
            f.write(data)
    return sorted(files)


def main():
    os.makedirs(LETTER_DIR, exist_ok=True)
    for old in os.listdir(LETTER_DIR):
        os.remove(os.path.join(LETTER_DIR, old))
    records = []
    for index, case in enumerate(CASES):
        if case.get("encoding") == "cp1252":
            # A Windows-1252 file is only recognisable by its bytes above 0x7F: give each one some.
            case["quirks"] = set(case["quirks"]) | {"curly", "nbsp"}
        writer = Writer(index, case)
        lines = layout(writer.paragraphs(), case, index)
        name = file_name(index, case)
        if case.get("pdf"):
            rel = f"letters/{name}.pdf"
            data = make_pdf([line.strip() for line in lines if line.strip()])
        else:
            rel = f"letters/{name}.txt"
            data = pdfish(lines, case).encode("cp1252" if case.get("encoding") == "cp1252" else "utf-8")
        with open(os.path.join(HERE, rel), "wb") as f:
            f.write(data)
        records.append(expected_facts(rel, case))
    with open(os.path.join(HERE, "expected.jsonl"), "w", encoding="utf-8", newline="\n") as f:
        for rec in records:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    bad = write_bad_inputs()
    print(f"{len(records)} letters in {os.path.relpath(LETTER_DIR, ROOT)}, "
          f"{sum(len(r['determinations']) for r in records)} determinations; bad inputs: {', '.join(bad)}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
