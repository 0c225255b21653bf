from django.contrib import admin

from .models import DocumentRecord, FeeIncome, InForceBaseline, MonthlyDecisionCount

admin.site.register([DocumentRecord, FeeIncome, InForceBaseline, MonthlyDecisionCount])
