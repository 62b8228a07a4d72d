from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm


class ThrottledLoginView(auth_views.LoginView):
    """Django's login; django-axes counts failures and locks after too many (settings)."""

    form_class = AuthenticationForm
    redirect_authenticated_user = True
