"""query: questions across editions (search, a partner's history, who may lead)"""
