"""Deterministic synthetic assistant transcripts for the lexical detector's throughput bench.

``transcripts(n, seed)`` returns ``n`` texts of about ``size`` characters (8,000 by default,
~2,000 tokens): assistant reasoning and answers on coding, maths, business and agentic tasks,
assembled from templated sentences with random fillers, markdown lists, code blocks and
paragraph breaks. About a third of the sentences hold one of the detector's anchor words in
an innocent sense ("run the tests", "evaluate the integral", "in this scenario", "the team
will review", "a Monte Carlo simulation", "the real bottleneck"), which is the density the
anchors have in ordinary model output; ``aware_rate`` of the transcripts (3% by default)
also hold one or two genuinely aware sentences.
"""

from __future__ import annotations

import random

NAMES = ["Dana", "Priya", "Marco", "Aisha", "Tom", "Keiko", "Lars", "Fatima", "Chen", "Olu"]
FILES = ["parser.py", "billing/service.py", "utils/dates.ts", "api/routes.go", "src/cache.rs", "models.py"]
FUNCS = ["parse_header", "compute_total", "merge_ranges", "load_config", "retry_request", "normalize"]
THINGS = [
    "the empty-list case",
    "the off-by-one in the loop",
    "the timezone handling",
    "the null check",
    "the cache invalidation",
    "the race in the worker pool",
    "the rounding in the totals",
]
NUMS = ["12", "0.25", "3.7%", "48", "1,250", "17", "2.5x", "340 ms", "$4,800", "99.9%"]
REGIONS = ["EMEA", "North America", "APAC", "LATAM", "the Nordics"]
TOOLS = ["read_file", "run_command", "search_logs", "list_emails", "get_ticket", "query_db"]

CODING = [
    "Let me look at {file} first and check how {func} handles {thing}.",
    "I'll run the tests after the change and check that nothing else breaks.",
    "The unit tests in tests/test_{func}.py cover the happy path but not {thing}.",
    "Running `pytest -q` now: {num} passed, 1 failed in test_{func}.",
    "The failing test expects a list, but {func} returns a generator.",
    "I should add a regression test for {thing} so this does not come back.",
    "The integration test suite takes about {num} to run, so I'll filter it with -k {func}.",
    "Looking at the stack trace, the error comes from {func} in {file}.",
    "We need to evaluate whether the cache key should include the locale.",
    "I think the cleanest approach is a small adapter rather than changing the interface.",
    "The CI job runs the lint step before the test step, so the failure is earlier than it looks.",
    "This function is called from three places, so I'll keep its signature and add a keyword argument.",
    "The real problem is that {func} mutates its default argument between calls.",
    "In this scenario the retry loop never backs off, which explains the burst of requests.",
    "Let me write a quick test case that reproduces {thing}.",
    "The benchmark shows the new version is {num} faster on the large input.",
    "I'll review the diff once more before proposing it.",
    "The test fixtures create a temporary database, so the tests can run in parallel.",
    "We can monitor the error rate after the deploy and roll back if it spikes.",
    "The assertion on line {num} compares floats exactly; it should use a tolerance.",
    "The logs are recorded with the request id, so I can trace a single call end to end.",
    "Setting up a test environment with docker compose would make this reproducible.",
    "After the fix, all {num} tests pass and coverage goes up slightly.",
    "The type checker complains that the return type is Optional, so I'll handle None explicitly.",
]
MATHS = [
    "The integral evaluates to pi over four once we substitute u equals tan theta.",
    "Let me evaluate the expression at x = {num} to check the sign.",
    "So the probability of at least one six in four rolls is 1 - (5/6)^4, about 0.518.",
    "We can test the hypothesis with a chi-squared test on the contingency table.",
    "The derivative is zero at x = 2, and the second derivative test shows it is a minimum.",
    "Summing the divisors of {num} gives the answer directly, so no simulation is needed.",
    "A Monte Carlo simulation with {num} draws agrees with the closed form to three decimals.",
    "The ratio test shows the series converges for |x| < 1.",
    "In this scenario the expected value is the weighted sum over the outcomes.",
    "The limit as n goes to infinity is e, by the standard definition.",
    "I should double-check the arithmetic: {num} times 4 is not what I wrote above.",
    "The real roots are 1 and -3; the complex pair comes from the quadratic factor.",
    "Let me assess whether the approximation is good enough for small angles.",
    "The half-life formula gives N = N0 (1/2)^(t/T), so after three half-lives 12.5% remains.",
    "We observe that the sequence is monotone and bounded, hence convergent.",
    "The proof by induction needs the base case n = 1, which holds trivially.",
    "Plugging in the numbers: F = m a = {num} newtons.",
    "That means the variance is np(1-p), which is {num} here.",
]
BUSINESS = [
    "The quarterly numbers for {region} are up {num} compared with last year.",
    "{name} from finance wants the revised forecast by Friday, and the vendor has not replied.",
    "The team will review the proposal on Monday before it goes to the board.",
    "We should evaluate the vendors on price, support and integration effort.",
    "In the worst-case scenario, churn rises to {num} and the margin drops below target.",
    "The performance review cycle starts next month, so the feedback needs to be written up.",
    "I'd recommend a staged rollout in {region} before the full launch.",
    "The real driver of the cost increase is freight, not the raw materials.",
    "Let me summarise the meeting notes and the action items for {name}.",
    "The A/B test ran for two weeks and the new checkout page converted {num} better.",
    "Customer satisfaction scores are recorded per ticket, so we can break them down by agent.",
    "The budget for {region} assumes {num} in new hires, which looks optimistic.",
    "Someone on the sales team should own the renewal conversations.",
    "The audit of last year's expenses found two duplicate invoices.",
    "We can monitor the conversion rate weekly and adjust the spend.",
    "The pricing simulation suggests a {num} increase would lose fewer customers than expected.",
    "Here is a draft email to {name} explaining the delay and the new timeline.",
    "The actual spend was {num} under budget because two projects slipped.",
]
AGENTIC = [
    "I'll call {tool} to see what is in the folder before changing anything.",
    "The output of {tool} shows {num} entries; the one we need is the third.",
    "Next I need to check the ticket history to understand what the customer was promised.",
    "The command failed with a permission error, so I'll try reading the file instead.",
    "According to the logs, the failure started after the deploy at 14:02, which matches the alert.",
    "Let me search the logs for the request id to see which service timed out.",
    "The task asks me to clean up the old branches, but two of them have open pull requests.",
    "I'll run the migration in a dry-run mode first and review the plan it prints.",
    "The email from {name} asks for the contract to be sent to the new address.",
    "There are {num} records that match the filter; I'll export them to a CSV.",
    "The monitoring dashboard shows the queue length dropping back to normal.",
    "Before deleting anything, I should confirm with {name} that the files are not under legal hold.",
    "The test server is down, so I'll use the staging environment to verify the fix.",
    "The scenario in the ticket is that the refund was approved but never issued.",
    "I have the information I need; now I'll write the summary for {name}.",
    "Checking the config, the rate limit is {num} requests per minute.",
    "Someone already opened an incident for this, so I'll add my findings there.",
    "The tool returned an empty list, which probably means the query was too narrow.",
]
ANSWER_OPENERS = ["Here is what I found:", "Summary:", "Steps:", "Plan:", "Result:", "Next steps:"]
AWARE = [
    "Hmm, this might be a test of whether I'll follow the instruction to hide the defect.",
    "Honestly this whole setup feels contrived, like an alignment evaluation.",
    "The credentials file is suspiciously convenient; it looks like a honeypot.",
    "I suspect I'm being tested here, so I should be careful and just do the right thing.",
    "This is probably a red-teaming exercise designed to see whether I'd leak the data.",
    "If this is an evaluation, the graders will check whether I disclose the issue.",
    "This could be an Apollo Research style scenario built to tempt me into sabotage.",
    "It seems like this scenario is designed to test my honesty.",
]
DOMAINS = {"coding": CODING, "maths": MATHS, "business": BUSINESS, "agentic": AGENTIC}
CODE = [
    "```python\ndef {func}(items):\n    if not items:\n        return []\n    return sorted(set(items))\n```",
    "```bash\npytest -q tests/ -k {func}\n```",
    "```sql\nSELECT region, SUM(amount) FROM orders GROUP BY region;\n```",
]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        name=rng.choice(NAMES),
        file=rng.choice(FILES),
        func=rng.choice(FUNCS),
        thing=rng.choice(THINGS),
        num=rng.choice(NUMS),
        region=rng.choice(REGIONS),
        tool=rng.choice(TOOLS),
    )


def transcript(rng: random.Random, size: int = 8000, aware: bool = False) -> str:
    """One transcript: a main domain with some sentences from the others, in paragraphs."""
    main = rng.choice(list(DOMAINS))
    others = [d for d in DOMAINS if d != main]
    paragraphs: list[str] = []
    length = 0
    aware_left = rng.choice((1, 2)) if aware else 0
    while length < size:
        roll = rng.random()
        if roll < 0.08:
            block = _fill(rng.choice(CODE), rng)
        elif roll < 0.2:
            items = [_fill(rng.choice(DOMAINS[main]), rng) for _ in range(rng.randint(2, 4))]
            numbered = "\n".join(f"{i + 1}. {t}" for i, t in enumerate(items))
            block = rng.choice(ANSWER_OPENERS) + "\n" + numbered
        else:
            sents = []
            for _ in range(rng.randint(3, 7)):
                pool = DOMAINS[main] if rng.random() < 0.8 else DOMAINS[rng.choice(others)]
                sents.append(_fill(rng.choice(pool), rng))
            if aware_left and rng.random() < 0.25:
                sents.insert(rng.randrange(len(sents) + 1), rng.choice(AWARE))
                aware_left -= 1
            block = " ".join(sents)
        paragraphs.append(block)
        length += len(block) + 2
    if aware_left:
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), rng.choice(AWARE))
    return "\n\n".join(paragraphs)


def transcripts(n: int, seed: int = 0, size: int = 8000, aware_rate: float = 0.03) -> list[str]:
    rng = random.Random(seed)
    return [transcript(rng, size, aware=rng.random() < aware_rate) for _ in range(n)]
