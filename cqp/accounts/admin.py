from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["role", "certifier", "organisation"]
    autocomplete_fields = ["certifier", "organisation"]


class OrganisationMembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["user"]
    verbose_name = _("personne rattachée")
    verbose_name_plural = _("personnes rattachées")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_superuser", "is_active"]
    list_filter = ["is_staff", "is_superuser", "is_active", "memberships__role", "memberships__organisation__kind"]
    search_fields = ["email", "first_name", "last_name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Identité"), {"fields": ["first_name", "last_name"]}),
        (_("Droits"), {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "siret", "idcc", "branch", "city"]
    list_filter = ["kind", "branch"]
    search_fields = ["name", "siret", "idcc", "city"]
    list_select_related = ["branch"]
    autocomplete_fields = ["branch", "accredited_certifications"]
    fieldsets = [
        (None, {"fields": ["kind", "name", "siret", "email", "city"]}),
        (_("Entreprise"), {"fields": ["idcc", "branch"]}),
        (
            _("Habilitations (organismes évaluateurs et de formation)"),
            {"fields": ["accredited_certifications"]},
        ),
    ]
    inlines = [OrganisationMembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "role", "certifier", "organisation", "created_at"]
    list_filter = ["role", "organisation__kind"]
    search_fields = [
        "user__email",
        "user__last_name",
        "certifier__name",
        "certifier__siret",
        "organisation__name",
        "organisation__siret",
    ]
    autocomplete_fields = ["user", "certifier", "organisation"]
    list_select_related = ["user", "certifier", "organisation"]
