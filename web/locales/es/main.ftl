# La interfaz de Kindred en español. Cada clave está también en en/main.ftl (una prueba lo comprueba).
# Los valores no llevan espacios al principio ni al final: Fluent los quita.

## Marco: cabecera, navegación, pie
skip-to-content = Saltar al contenido
nav-main = Principal
nav-insights = Análisis
nav-sign-out = Cerrar sesión
nav-communities = Comunidades
nav-search = Buscar
nav-new-thread = Nuevo tema
nav-notifications = Notificaciones
nav-messages = Mensajes
nav-moderation = Moderación
nav-admin = Administración
nav-your-profile = Tu perfil
nav-sign-in = Iniciar sesión
nav-join = Únete a Kindred
footer-disclaimer = Kindred es una comunidad de apoyo entre pares. No sustituye los consejos de tu equipo médico. En una emergencia, llama al número de emergencias de tu zona.
footer-language = Idioma
footer-language-change = Cambiar

## Recuentos
count-unread = { $count ->
    [one] { $count } sin leer
   *[other] { $count } sin leer
}
count-open-items = { $count ->
    [one] { $count } elemento pendiente
   *[other] { $count } elementos pendientes
}
count-members = { $count ->
    [one] { $count } miembro
   *[other] { $count } miembros
}
count-posts = { $count ->
    [one] { $count } mensaje
   *[other] { $count } mensajes
}
count-new = { $count ->
    [one] { $count } nuevo
   *[other] { $count } nuevos
}

## Piezas compartidas
field-optional = (opcional)
form-check = Revisa el formulario, por favor.
former-member = un antiguo miembro
badge-admin = Administración
badge-moderator = Moderación
kind-condition = Comunidad por diagnóstico
kind-caregiver = Para cuidadores
kind-general = General
community-private = Privada
community-needs-approval = para unirse hace falta aprobación
threads-none = Todavía no hay temas.
thread-pinned = Fijado
thread-locked = Cerrado
thread-by = por
thread-in = en
thread-last-post = último mensaje
since-last-visit = desde tu última visita
start-thread = Abrir un tema
search-button = Buscar

## Mensajes
post-edited = editado
post-position = Mensaje { $at } de { $of }
post-held = Pendiente de revisión.
post-held-own = Por ahora solo tú y el equipo de moderación podéis ver este mensaje.
post-held-other = Por ahora solo su autor y el equipo de moderación pueden ver este mensaje.
post-why = Motivo:
post-held-what-to-do = Qué puedes hacer: lee el motivo de arriba y, si corresponde, cambia el texto (por ejemplo, quita enlaces, datos de contacto o nombres de productos). En cualquier caso, una persona del equipo de moderación lo revisará pronto.
post-removed = Retirado por el equipo de moderación.
post-deleted = Este mensaje se borró.
post-blocked-show = Bloqueaste a este miembro: mostrar
post-save = Guardar para después
post-saved-link = Tus mensajes guardados
post-support = Apoya este mensaje
post-edit = Editar tu mensaje
post-edit-label = Tu mensaje
post-edit-save = Guardar cambios
post-report = Denunciar este mensaje
post-report-label = ¿Qué problema tiene?
post-report-send = Enviar la denuncia al equipo de moderación

## Inicio
home-title = Inicio
home-search-label = Buscar en Kindred
home-search-find = Busca comunidades y mensajes
home-search-placeholder = Por ejemplo: mi marido tiene un glioblastoma
home-welcome-back = Hola de nuevo, { $name }
home-open-queue = Abrir la cola de moderación
home-pending = Tu solicitud para unirte espera la aprobación del equipo de moderación:
home-new-for-you = Novedades para ti
home-all-notifications = Todas las notificaciones
home-your-communities = Tus comunidades
home-none-joined = Todavía no te has unido a ninguna comunidad.
home-find-one = Encuentra una que encaje contigo
home-recent-threads = Temas recientes
home-suggested = Comunidades que te pueden ayudar
home-suggested-matched = Elegidas según el papel y los diagnósticos de
home-suggested-profile = tu perfil
home-intro-title = No estás solo en esto
home-intro-lead = Kindred es un lugar donde las personas con cáncer, y quienes las cuidan, hablan con otras que las entienden. Cada comunidad está atendida por un equipo de moderación, y tú eliges qué pueden ver los demás sobre ti.
home-filter-directory = Filtrar el directorio

## Directorio de comunidades
dir-filter-label = Filtrar comunidades
dir-kind = Tipo
dir-all-kinds = Todos los tipos
dir-kind-condition = Comunidades por diagnóstico
dir-condition = Diagnóstico
dir-all-conditions = Todos los diagnósticos
dir-language = Idioma
dir-all-languages = Todos los idiomas
dir-filter = Filtrar
dir-none-match = Ninguna comunidad cumple estos filtros.
dir-show-all = Ver todas

## Página de una comunidad
community-or = o
community-join-kindred = únete a Kindred
community-to-take-part = para participar.
community-leave = Salir de la comunidad
community-pending = Tu solicitud para unirte espera al equipo de moderación.
community-banned = No puedes participar en esta comunidad.
community-ask-to-join = Pedir unirse
community-join = Unirse a la comunidad
community-mod-queue = Cola de moderación
community-members-bans = Miembros y expulsiones
community-modlog = Registro de moderación
community-threads = Temas
community-members-only = Esta es una comunidad privada: solo sus miembros pueden leer sus temas. Pide unirte y alguien de su equipo de moderación decidirá.
community-older-threads = Temas anteriores
community-rules = Normas de la comunidad
community-no-rules = Todavía no hay normas escritas.

## Página de un tema
thread-breadcrumb = Ruta de navegación
thread-started-by = Abierto por
thread-jump-unread = Ir al primer mensaje sin leer
thread-pages = Páginas de este tema
thread-range = Mensajes { $first }–{ $last } de { $total }
thread-earlier = Mensajes anteriores
thread-later = Mensajes posteriores
thread-locked-note = Este tema está cerrado: no admite respuestas.
thread-locked-moderator = Como moderador, todavía puedes responder.
thread-reply = Responder
thread-your-reply = Tu respuesta
thread-reply-hint = Puedes usar Markdown: *cursiva*, **negrita**, listas y enlaces.
thread-post-reply = Publicar respuesta
thread-to-reply = para responder.
thread-join = Únete a
thread-reply-to-this = Responder a esto
thread-post-by = mensaje de
thread-pin = Fijar el tema
thread-unpin = Dejar de fijar el tema
thread-lock = Cerrar: no admitir respuestas
thread-unlock = Abrir: admitir respuestas
thread-mod-tools = Herramientas de moderación
remove-post = Retirar este mensaje
remove-post-moderator = (moderación)
remove-post-reason = Motivo (lo ve el autor y queda en el registro de moderación)
remove-post-button = Retirar el mensaje

## Nuevo tema
new-thread-join-first = Primero únete a una comunidad:
new-thread-browse = ver las comunidades
new-thread-community = Comunidad
new-thread-title = Título
new-thread-title-hint = Un resumen breve que los demás verán en la lista.
new-thread-message = Tu mensaje
new-thread-message-hint = Puedes usar Markdown. Por favor, no compartas datos de contacto de nadie.
new-thread-submit = Abrir el tema

## Inicio de sesión y registro
field-username = Nombre de usuario
field-password = Contraseña
field-display-name = Nombre visible
field-email = Correo electrónico
login-forgot = ¿Olvidaste tu contraseña?
login-new-here = ¿Eres nuevo?
login-create-account = Crea una cuenta
register-lead = Tú eliges qué ven los demás sobre ti. Puedes cambiarlo más tarde en tu perfil.
register-username-hint = De 3 a 32 caracteres: letras, números y guiones bajos. Los demás lo ven.
register-password-hint = Al menos 10 caracteres. Unas cuantas palabras sin relación entre sí funcionan bien.
register-display-name-hint = Aparece junto a tus mensajes. No hace falta que sea tu nombre real.
register-email-hint = Solo para recuperar tu cuenta; nunca se muestra.
register-submit = Crear la cuenta
register-already = ¿Ya eres miembro?

## Páginas de error
error-page-404-title = Página no encontrada
error-page-404-lead = No encontramos esa página. Puede que se haya movido o que esté en una comunidad privada.
error-page-403-title = No permitido
error-page-403-lead = No tienes acceso a esto.
error-page-401-title = Inicia sesión, por favor
error-page-401-lead = Tienes que iniciar sesión para ver esto.
error-page-429-title = Espera un momento, por favor
error-page-429-lead = Ha habido demasiados intentos.
error-page-4xx-title = Algo no está bien
error-page-4xx-lead = No se ha podido usar la solicitud.
error-page-5xx-title = Algo ha fallado
error-page-5xx-lead = Es culpa nuestra, no tuya. Vuelve a intentarlo dentro de un rato.
error-page-home = Ir a la página de inicio
error-page-browse = Ver las comunidades

## Fechas
time-just-now = ahora mismo
time-minutes-ago = { $count ->
    [one] hace { $count } minuto
   *[other] hace { $count } minutos
}
time-hours-ago = { $count ->
    [one] hace { $count } hora
   *[other] hace { $count } horas
}
time-days-ago = { $count ->
    [one] hace { $count } día
   *[other] hace { $count } días
}

## Errores de la API (`error.message` según `code`)
error-unauthenticated = primero inicia sesión
error-invalid-credentials = el nombre de usuario o la contraseña no son correctos
error-invalid-token = la sesión ha caducado o no es válida; vuelve a iniciar sesión
error-not-found = no encontrado
error-conflict = eso choca con algo que ya existe
error-post-not-published = el mensaje no está publicado
error-rejected = el contenido fue rechazado
error-idempotency-key-reused = esta Idempotency-Key ya se usó para otra solicitud
error-payload-too-large = el cuerpo de la solicitud es demasiado grande
error-method-not-allowed = este método no está permitido aquí
error-unsupported-media-type = envía JSON (Content-Type: application/json)
error-rate-limited = demasiados intentos; vuelve a intentarlo más tarde
error-unavailable = el servicio está ocupado; vuelve a intentarlo en un momento
error-storage-full = el servidor se ha quedado sin espacio; vuelve a intentarlo más tarde
error-internal = algo ha fallado por nuestra parte
error-csrf-failed = este formulario ha caducado; recarga la página y vuelve a intentarlo
error-forbidden = no tienes permiso para hacer esto
error-invalid-json = el cuerpo de la solicitud no es un JSON válido para esta ruta
error-invalid-query = los parámetros de la consulta no son válidos
error-invalid-form = no se ha podido leer el formulario
error-invalid-field = el campo «{ $field }» no es válido
error-status-400 = no se ha podido usar la solicitud
error-status-403 = no tienes permiso para hacer esto
error-status-409 = eso choca con el estado actual
error-status-4xx = no se ha podido usar la solicitud
error-status-5xx = algo ha fallado por nuestra parte

notifications-surveys-heading = Encuestas para ti
notifications-survey-new = Nueva
notifications-survey-invite = { $community } te invita a una encuesta de investigación:
notifications-survey-closes = Abierta hasta
survey-draft-audience = A quién se invita
survey-draft-audience-hint = Se invita a todos los miembros de la comunidad que aceptaron participar en investigación, salvo que aquí lo limites a un rol o a una condición de su perfil (una etiqueta de condición como lung-cancer).
survey-draft-audience-role = Rol
survey-draft-audience-any-role = Cualquier rol
survey-draft-audience-condition = Etiqueta de condición (opcional)
survey-audience-patient = Pacientes
survey-audience-caregiver = Cuidadores
survey-audience-bereaved = Miembros en duelo
survey-audience-supporter = Personas de apoyo
survey-audience-clinician = Profesionales clínicos
## errors: la nota a quien escribió un mensaje retenido o rechazado (`plain_words::author_note`), en el idioma del mensaje
held-detail-phone = un número de teléfono
held-detail-email = una dirección de correo electrónico
held-detail-ssn = un número de la seguridad social
held-detail-record-number = un número de historia clínica, de seguro o de cuenta
held-detail-birth-date = una fecha de nacimiento
held-detail-address = una dirección postal
held-detail-full-name = el nombre completo de alguien
held-detail-code = un código de descuento
held-detail-referral-link = un enlace de afiliado
held-detail-contact-app = una invitación a hablar por una aplicación de mensajería
held-detail-fundraising-link = un enlace para recaudar fondos
held-detail-shop-link = un enlace a una tienda
held-detail-link = un enlace a un sitio externo
held-detail-sales-wording = palabras de venta
held-quoted = («{ $text }»)
held-personal-detail = Tu mensaje incluye { $what }{ $quoted }. Quítalo, por favor, para protegerte.
held-personal-general = Parece que tu mensaje incluye datos personales. Quítalos, por favor, para protegerte.
held-promotion-found = Tu mensaje incluye { $found }.
held-promotion-rule = En Kindred no se permite hacer publicidad ni vender: quita, por favor, los enlaces a tiendas, los precios, los códigos de descuento y las invitaciones a escribirte.
held-misinformation = Parece que tu mensaje presenta como un hecho una afirmación de salud que va en contra de la evidencia médica. Si preguntas por ella o cuentas lo que alguien te dijo, dilo, por favor.
held-needs-look = Tu mensaje necesita que alguien del equipo de moderación lo revise antes de que otras personas puedan leerlo.
held-review-time = Una persona del equipo de moderación lo revisará, normalmente en menos de un día.

## mail (`kindred_web::mail`, en el idioma de quien lo recibe)
mail-footer = Kindred: comunidades moderadas para personas que viven con problemas de salud.
mail-hello = Hola, { $name }:
mail-not-you = Si no has sido tú,
mail-reset-now = restablece tu contraseña ahora
mail-reset-subject = Restablece tu contraseña de Kindred
mail-reset-asked = Alguien (esperamos que tú) ha pedido restablecer la contraseña de tu cuenta de Kindred.
mail-reset-open = Para elegir una contraseña nueva, abre este enlace en los próximos { $minutes } minutos:
mail-reset-link = Elegir una contraseña nueva
mail-reset-once = El enlace solo funciona una vez. Al elegir una contraseña nueva se cierran tus sesiones en todos los demás dispositivos.
mail-reset-ignore = Si no lo has pedido tú, ignora este correo: tu contraseña no cambia.
mail-changed-subject = Se ha cambiado tu contraseña de Kindred
mail-changed-body = Se acaba de cambiar la contraseña de tu cuenta de Kindred y se han cerrado todas las demás sesiones.
mail-confirm-subject-account = Confirma tu dirección de correo para Kindred
mail-confirm-subject-address = Confirma tu nueva dirección de correo para Kindred
mail-confirm-welcome = Te damos la bienvenida a Kindred. Confirma que esta es tu dirección para empezar a publicar y a unirte a comunidades.
mail-confirm-asked = Alguien (esperamos que tú) ha pedido usar esta dirección para una cuenta de Kindred.
mail-confirm-open = Para confirmarla, abre este enlace en las próximas { $hours } horas:
mail-confirm-link = Confirmar esta dirección
mail-confirm-once = El enlace solo funciona una vez. Si no lo has pedido tú, ignora este correo: no cambia nada.
mail-change-subject = Se ha indicado una nueva dirección de correo para tu cuenta de Kindred
mail-change-asked = Alguien con la sesión iniciada en tu cuenta de Kindred ha pedido pasarla a una nueva dirección de correo.
mail-change-nothing = No cambia nada a menos que se abra el enlace enviado a esa dirección.
mail-kind-reply = { $count ->
    [one] una respuesta nueva
   *[other] { $count } respuestas nuevas
}
mail-kind-mention = { $count ->
    [one] una mención nueva
   *[other] { $count } menciones nuevas
}
mail-kind-watched = { $count ->
    [one] un mensaje nuevo en un tema que sigues
   *[other] { $count } mensajes nuevos en temas que sigues
}
mail-kind-outcome = { $count ->
    [one] una decisión del equipo de moderación sobre tu mensaje
   *[other] { $count } decisiones del equipo de moderación sobre tus mensajes
}
mail-kind-other = { $count ->
    [one] una notificación nueva
   *[other] { $count } notificaciones nuevas
}
mail-notifications-subject = Tienes { $what } en Kindred
mail-in-place = en { $community } / { $thread }
mail-choose = Elige qué correos recibes
mail-stop = Deja de recibir este tipo de correo
mail-alert-subject = Urgente: alguien en { $community } puede estar en riesgo
mail-alert-body = Un mensaje nuevo en { $community } hace pensar que quien lo escribió puede correr un riesgo alto de hacerse daño. Míralo, por favor, y ponte en contacto lo antes posible:
mail-alert-link = Abrir la cola de bienestar
mail-alert-stays = El mensaje sigue publicado. La cola de bienestar muestra las frases que dieron la alerta, una breve guía de los niveles de riesgo y un mensaje que puedes enviar.
mail-pm-subject = { $count ->
    [one] Tienes un mensaje privado nuevo en Kindred
   *[other] Tienes { $count } mensajes privados nuevos en Kindred
}
mail-pm-from = de { $names }
mail-pm-read = Léelo y responde
mail-pm-read-link = Léelo y responde en Kindred
