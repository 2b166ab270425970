from django.urls import path

from .web import images, views

app_name = "office"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("van-ban-di/", views.outgoing_list, name="outgoing_list"),
    path("van-ban-di/moi/", views.draft_new, name="draft_new"),
    path("van-ban-di/<int:pk>/", views.outgoing_detail, name="outgoing"),
    path("van-ban-di/<int:pk>/xu-ly/", views.outgoing_act, name="outgoing_act"),
    path("van-ban-di/<int:pk>/tep/<int:file_pk>/", views.outgoing_file, name="outgoing_file"),
    path("van-ban-den/", views.incoming_list, name="incoming_list"),
    path("van-ban-den/giay/", views.paper_new, name="paper_new"),
    path("van-ban-den/<int:pk>/", views.incoming_detail, name="incoming"),
    path("van-ban-den/<int:pk>/xu-ly/", views.incoming_act, name="incoming_act"),
    path("van-ban-den/<int:pk>/tep/<int:file_pk>/", views.incoming_file, name="incoming_file"),
    path("so/<str:kind>.<str:fmt>", views.register_download, name="register"),
    path("quy-trinh/", views.chains, name="chains"),
    path("chu-ky-con-dau/", images.images, name="images"),
    path("chu-ky-con-dau/<str:kind>/<int:pk>/", images.image_file, name="image_file"),
]
