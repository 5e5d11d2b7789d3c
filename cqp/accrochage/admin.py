from django.contrib import admin

from .models import AccrochageAccount


@admin.register(AccrochageAccount)
class AccrochageAccountAdmin(admin.ModelAdmin):
    list_display = ["certifier", "client_id", "contract_id"]
    autocomplete_fields = ["certifier"]
