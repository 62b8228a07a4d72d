from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.views import View
from django.views.generic import ListView

from accounts.models import Notification
from accounts.notifications import mark_read


class ThrottledLoginView(auth_views.LoginView):
    """Django's login; django-axes counts failures and locks after too many (settings)."""

    form_class = AuthenticationForm
    redirect_authenticated_user = True


class NotificationListView(LoginRequiredMixin, ListView):
    """The bell's page: the user's own notifications, newest first."""

    template_name = "accounts/notification_list.html"
    paginate_by = 30

    def get_queryset(self):
        return Notification.objects.filter(user=self.request.user)


class NotificationMarkReadView(LoginRequiredMixin, View):
    def post(self, request):
        ids = request.POST.getlist("id")
        mark_read(
            user=request.user,
            # Only plain ids: a NUL, a huge number or a word is dropped (issue 11, finding 13).
            notification_ids=[int(n) for n in ids if n.isdigit() and len(n) <= 9] or None,
        )
        return redirect("accounts:notifications")
