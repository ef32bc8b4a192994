"""Satisfaction-survey engine: recognise the sheet, check response quality, compute item statistics and indices."""
from udfs.score.survey.analysis import SurveyInputError, SurveyResults, analyse_survey
from udfs.score.survey.indices import ces, csat, nps, weighted_index
from udfs.score.survey.items import ItemSpec, SurveySpec, recognise_survey, read_items_sheet, to_scores
from udfs.score.survey.reliability import cronbach_alpha
from udfs.score.survey.stats import distribution, wilson_interval

__all__ = ["SurveyInputError", "SurveyResults", "analyse_survey", "ces", "csat", "nps", "weighted_index",
           "ItemSpec", "SurveySpec", "recognise_survey", "read_items_sheet", "to_scores", "cronbach_alpha",
           "distribution", "wilson_interval"]
