-- A rule's risk score override (Elastic's risk_score_mapping): the event field whose number is the alert's risk.
ALTER TABLE "Rule" ADD COLUMN "riskScoreOverride" TEXT;
