"""The customer analysis report (issue 21): breakdowns, Pareto/ABC, cohorts and churn, BG/NBD, baskets, data problems."""
